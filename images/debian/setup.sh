#!/bin/sh
# Runs once inside the freshly installed rootfs (chroot, as root), after the packages of
# images/debian/packages are installed and upgraded, before the rootfs is cached. What it does is
# part of the cache key: changing this file rebuilds the cached rootfs (minutes); files that need
# no command belong in images/debian/overlay/ instead (seconds).
set -eu

# A random password nobody knows: accounts get a real yescrypt hash, as on a real server.
random_password() { head -c 24 /dev/urandom | base64 | tr -d '\n'; }

# Locale and time zone as a Debian installer leaves them for an English server.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
locale-gen >/dev/null
update-locale LANG=en_US.UTF-8
ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime
echo Etc/UTC >/etc/timezone

# The people of this server: an administrator (the installer's first user, uid 1000, sudo) and
# the account the application is deployed with.
useradd --create-home --uid 1000 --shell /bin/bash --comment "Server Admin,,," \
        --groups sudo,adm,systemd-journal admin
useradd --create-home --uid 1001 --shell /bin/bash --comment "Deploy,,," \
        --groups www-data deploy
for account in root admin deploy; do
  echo "$account:$(random_password)" | chpasswd
done
chmod 0700 /home/admin /home/deploy
install -d -o deploy -g deploy -m 0755 /srv/app /srv/app/releases /srv/app/shared

# Every installation has its own machine id.
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >/etc/machine-id
echo >>/etc/machine-id
cp /etc/machine-id /var/lib/dbus/machine-id 2>/dev/null || true

# A real Debian server has the three host key pairs openssh-server's postinst made
# (`ssh-keygen -q -f FILE -N '' -t TYPE`: RSA 3072, ECDSA 256, Ed25519; private 0600, public
# 0644, root). These are decoys made here, never the sensor's keys: Hermes writes the sensor's
# PUBLIC keys over the .pub files of each container before it starts (docs/deception.md), and
# the sensor's private keys never enter a container (docs/security.md). Whatever keys the
# package install left (made with the build host's name) are replaced; the comment is the
# hostname Hermes gives containers by default and rewrites with the .pub files it serves.
rm -f /etc/ssh/ssh_host_*
for key_type in rsa ecdsa ed25519; do
  ssh-keygen -q -f "/etc/ssh/ssh_host_${key_type}_key" -N '' -t "$key_type" -C root@prod-web-01
done
chown root:root /etc/ssh/ssh_host_*
chmod 0600 /etc/ssh/ssh_host_*_key
chmod 0644 /etc/ssh/ssh_host_*_key.pub

# What the build leaves that a booted server does not have.
apt-get clean
rm -f /var/log/bootstrap.log /var/cache/debconf/*-old /var/lib/dpkg/*-old
rm -rf /var/tmp/* /tmp/* /root/.cache
