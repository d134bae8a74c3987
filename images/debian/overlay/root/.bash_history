apt install -y nginx
systemctl enable nginx
passwd admin
visudo
ls /etc/ssh
systemctl restart ssh
exit
