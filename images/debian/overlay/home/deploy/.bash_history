cd /srv/app
git -C current pull
ls releases
./current/bin/migrate
crontab -l
exit
