# seed 004: httpenv behind a ClusterIP, round robin seen from the node and from a netshoot pod
kubectl create deployment httpenv --image=bretfisher/httpenv
kubectl scale deployment/httpenv --replicas=5
kubectl expose deployment/httpenv --port 8888
sleep 30
IP=$(kubectl get svc httpenv -o go-template --template '{{ .spec.clusterIP }}')
echo $IP
curl -s http://$IP:8888/ | jq .HOSTNAME
curl -s http://$IP:8888/ | jq .HOSTNAME
curl -s http://$IP:8888/ | jq .HOSTNAME
for i in 1 2 3 4 5 6; do curl -s http://$IP:8888/ | jq -r .HOSTNAME; done | sort | uniq -c | wc -l
kubectl run tmp-shell --rm -it --image bretfisher/netshoot -- bash
curl -s httpenv:8888 | jq -r .HOSTNAME | cut -d- -f1
hostname
exit
kubectl get pods --no-headers | wc -l
