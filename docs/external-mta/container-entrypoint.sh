#!/bin/sh
# Entry point of the example image (Dockerfile here): fills postfix-main.cf and postfix-master.cf from what lab up passes
# (DOMSEC_DOMAIN, DOMSEC_ADDRESS, DOMSEC_PORT, DOMSEC_ROUTES; key, chain and roots in /domsec) and runs Postfix in the
# foreground. The container shares the host's network: Postfix listens on DOMSEC_ADDRESS:DOMSEC_PORT and sends from it.
set -eu
dir=/var/lib/external
mkdir -p "$dir/log" "$dir/mail"
fill() {
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$DOMSEC_PORT|g" -e "s|127\.0\.0\.1|$DOMSEC_ADDRESS|g" -e "s|treyresearch\.net|$DOMSEC_DOMAIN|g" "/opt/external/$1"
}
# The configuration is the image's own, so it goes where `postfix` looks by default.
fill postfix-main.cf >/etc/postfix/main.cf
fill postfix-master.cf >/etc/postfix/master.cf
sed -i "s|$dir/etc/|/etc/postfix/|g" /etc/postfix/main.cf
# Each simulated organization is a partner: its domain routes to its edge, the edge's certificate must verify and name
# the domain, and mail from the domain needs a verified client certificate (as in src/peers/testing/static-postfix.ts).
: >/etc/postfix/transport; : >/etc/postfix/tls_policy; : >/etc/postfix/partner_senders
for r in $DOMSEC_ROUTES; do
  domain=${r%%=*}; hop="[${r#*=}"; hop="${hop%:*}]:${r##*:}"
  echo "$domain smtp:$hop" >>/etc/postfix/transport
  echo "$hop secure match=$domain:.$domain" >>/etc/postfix/tls_policy
  echo "$domain partner_secure" >>/etc/postfix/partner_senders
done
install -m 600 /domsec/external.key.pem /etc/postfix/external.key.pem
install -m 644 /domsec/external.chain.pem /etc/postfix/external.chain.pem
install -m 644 /domsec/roots.pem /etc/postfix/roots.pem
mkdir -p -m 700 "$dir/data" && chown postfix:postfix "$dir/data"
chown 65534:65534 "$dir/mail"
# The queue as `postfix start` would make it (postfix-script logs through postlogd, which is not up yet, so it is done here).
mkdir -p "$dir/queue/pid" && cd "$dir/queue"
for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do mkdir -p -m 700 $d; chown postfix $d; done
mkdir -p -m 730 maildrop && chown postfix:postdrop maildrop
mkdir -p -m 710 public && chown postfix:postdrop public
exec /usr/lib/postfix/sbin/master -s
