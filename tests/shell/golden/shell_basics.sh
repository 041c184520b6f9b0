# the shell itself: variables, quoting, heredocs, loops, files, errors
name="kube lab"; echo "hello, $name" '$name'
for n in 3 1 2; do echo "n=$n"; done | sort
cat > /tmp/p.txt <<'EOT'
alpha 1
beta 22
gamma 333
EOT
awk '$2 > 5 {print $1}' /tmp/p.txt
grep -c a /tmp/p.txt; sed -n '2p' /tmp/p.txt | tr a-z A-Z
echo )
echo $?
ls /nope
cd /etc && pwd && cd - >/dev/null && pwd
x=$(( $(wc -l < /tmp/p.txt) * 2 )); echo $x
ssh node01
hostname; exit 5
echo "after ssh: $?"
k get ns default -o jsonpath='{.metadata.name}{"\n"}'
