# seed 002: nginx deployment, exec before and after the Service exists, temp curl and ubuntu pods
kubectl create deployment nginx-deployment --image=nginx --replicas=3
sleep 20
NGINX_POD_NAME=$(kubectl get pods -l app=nginx-deployment --no-headers | head -n 1 | awk '{print $1}')
kubectl exec -it $NGINX_POD_NAME -- sh -c 'apt-get update -y && apt-get install -y curl' | tail -2
kubectl exec -it $NGINX_POD_NAME -- curl http://nginx-clusterip
cat > svc.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx-clusterip
spec:
  type: ClusterIP
  selector:
    app: nginx-deployment
  ports:
  - port: 80
    targetPort: 80
EOF
kubectl apply -f svc.yaml
sleep 2
kubectl exec -it $NGINX_POD_NAME -- curl -s http://nginx-clusterip | grep -o '<title>.*</title>'
kubectl run temp-curl -it --rm --image=curlimages/curl -- sh
curl -s http://nginx-clusterip | grep -c nginx
exit
kubectl run temp-ubuntu -it --rm --image=ubuntu -- bash
nslookup nginx-clusterip.default.svc.cluster.local
exit
