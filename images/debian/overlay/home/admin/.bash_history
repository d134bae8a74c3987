sudo apt update
sudo apt upgrade -y
df -h
free -m
uptime
sudo systemctl status nginx
sudo tail -n 50 /var/log/nginx/error.log
cd /srv/app
ls -la
cat /etc/config/app.env
ssh deploy@backup-01.corp.internal
ping -c 3 db-primary.corp.internal
psql -h db-primary.corp.internal -U portal_app portal_prod
sudo -u deploy git -C /srv/app/current log --oneline -5
sudo systemctl restart app
sudo journalctl -u app --since "1 hour ago"
curl -I http://127.0.0.1:8000/health
curl -s http://localhost/api/v1/status | python3 -m json.tool
sudo crontab -l -u deploy
ls /srv/app/releases
du -sh /var/log/*
sudo logrotate -f /etc/logrotate.d/nginx
redis-cli -h redis-01.corp.internal ping
scp deploy@backup-01.corp.internal:/backups/portal/latest.sql.gz /tmp/
rm /tmp/latest.sql.gz
sudo vim /etc/nginx/sites-available/portal
sudo nginx -t
sudo systemctl reload nginx
netstat -tlnp
ps aux | grep gunicorn
top
exit
