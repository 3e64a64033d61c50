#!/bin/sh
# rahdari tests: make a small test PKI for the licence-signature tests.
#
# Usage: sh tests/trust_pki.sh DIR
#
# Writes into DIR (created if needed), with the openssl command, keys (*.key, PKCS#8 PEM)
# and certificates (*.pem) with fixed validity dates, so that tests verify "as of" a
# fixed day (2026-12-01) and never depend on today's date:
#
#   ca        the regulator's root CA, RSA 2048          2020-01-01 .. 2045-12-31
#   inter     an intermediate CA under ca, RSA 2048       2020-01-01 .. 2040-12-31
#   signer    a licence signer under inter, RSA 2048      2024-01-01 .. 2030-12-31
#   expired   a signer under inter, RSA 2048              2020-01-01 .. 2022-12-31
#   future    a signer under inter, RSA 2048              2035-01-01 .. 2039-12-31
#   revoked   a signer under inter, RSA 2048, revoked in crl-inter.pem
#   weak      a signer under inter, RSA 1024
#   ec        a signer under inter, EC P-256
#   nokeyuse  a signer under inter whose key usage is keyCertSign only (not for signing)
#   outsider  a self-signed RSA 2048 certificate that no store trusts
# and chain.pem (inter), crl-inter.pem / crl-inter.der (revokes 'revoked'),
# crl-ca.pem (empty), store/ (a directory holding ca.pem) and ca.der.
# CRLs: lastUpdate 2025-01-01, nextUpdate 2035-01-01.
# Exit status 0, or 1 with openssl's messages when something failed; 77 when there is no
# openssl command.
# SPDX-License-Identifier: MIT

set -u

dir=${1:?usage: trust_pki.sh DIR}
command -v openssl >/dev/null 2>&1 || { echo "trust_pki.sh: no openssl command" >&2; exit 77; }
mkdir -p "$dir" "$dir/store" || exit 1
cd "$dir" || exit 1

log=pki.log
: >"$log"
die() {
	echo "trust_pki.sh: $*" >&2
	cat "$log" >&2
	exit 1
}
run() {
	"$@" >>"$log" 2>&1 || die "failed: $*"
}

cat >openssl.cnf <<'EOF'
[ ca ]
default_ca = test_ca

[ test_ca ]
dir             = .
database        = $dir/index.txt
new_certs_dir   = $dir/newcerts
serial          = $dir/serial
crlnumber       = $dir/crlnumber
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no

[ policy_any ]
countryName            = optional
organizationName       = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = placeholder

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_inter ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_signer ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_nokeyuse ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyEncipherment
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_self ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, digitalSignature, keyCertSign
subjectKeyIdentifier   = hash
EOF

# one CA database per issuing CA
newdb() {
	rm -rf "$1" && mkdir -p "$1/newcerts" && : >"$1/index.txt" &&
		echo "$2" >"$1/serial" && echo 01 >"$1/crlnumber" &&
		sed "s|^dir *=.*|dir = $1|" openssl.cnf >"$1/openssl.cnf"
}

rsa() { run openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1.key"; }
ec() { run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }
csr() { run openssl req -new -config openssl.cnf -key "$1.key" -subj "$2" -out "$1.csr"; }

# issue NAME ISSUERDB ISSUER EXT START END
issue() {
	run openssl ca -batch -notext -config "$2/openssl.cnf" -cert "$3.pem" -keyfile "$3.key" \
		-in "$1.csr" -out "$1.pem" -extensions "$4" -startdate "$5" -enddate "$6"
}

newdb db-ca 1000
newdb db-inter 2000
newdb db-self 3000

rsa ca 2048
csr ca "/C=PK/O=Test Tourism Regulator/CN=Test Licensing Root CA"
run openssl ca -batch -notext -config db-ca/openssl.cnf -selfsign -keyfile ca.key -in ca.csr \
	-out ca.pem -extensions v3_root -startdate 200101000000Z -enddate 451231235959Z

rsa inter 2048
csr inter "/C=PK/O=Test Tourism Regulator/CN=Test Licensing Issuing CA"
issue inter db-ca ca v3_inter 200101000000Z 401231235959Z

rsa signer 2048
csr signer "/C=PK/O=Test Tourism Regulator/CN=Licence Signing Officer"
issue signer db-inter inter v3_signer 240101000000Z 301231235959Z

rsa expired 2048
csr expired "/C=PK/O=Test Tourism Regulator/CN=Expired Signing Officer"
issue expired db-inter inter v3_signer 200101000000Z 221231235959Z

rsa future 2048
csr future "/C=PK/O=Test Tourism Regulator/CN=Future Signing Officer"
issue future db-inter inter v3_signer 350101000000Z 391231235959Z

rsa revoked 2048
csr revoked "/C=PK/O=Test Tourism Regulator/CN=Revoked Signing Officer"
issue revoked db-inter inter v3_signer 240101000000Z 301231235959Z

rsa weak 1024
csr weak "/C=PK/O=Test Tourism Regulator/CN=Weak Key Signing Officer"
issue weak db-inter inter v3_signer 240101000000Z 301231235959Z

ec ec
csr ec "/C=PK/O=Test Tourism Regulator/CN=EC Signing Officer"
issue ec db-inter inter v3_signer 240101000000Z 301231235959Z

rsa nokeyuse 2048
csr nokeyuse "/C=PK/O=Test Tourism Regulator/CN=Encryption Only Officer"
issue nokeyuse db-inter inter v3_nokeyuse 240101000000Z 301231235959Z

rsa outsider 2048
csr outsider "/C=PK/O=Somebody Else/CN=Self-made Licence Authority"
run openssl ca -batch -notext -config db-self/openssl.cnf -selfsign -keyfile outsider.key \
	-in outsider.csr -out outsider.pem -extensions v3_self -startdate 200101000000Z \
	-enddate 451231235959Z

# revocation
run openssl ca -batch -config db-inter/openssl.cnf -cert inter.pem -keyfile inter.key \
	-revoke revoked.pem -crl_reason keyCompromise
run openssl ca -batch -config db-inter/openssl.cnf -cert inter.pem -keyfile inter.key -gencrl \
	-crl_lastupdate 250101000000Z -crl_nextupdate 350101000000Z -out crl-inter.pem
run openssl ca -batch -config db-ca/openssl.cnf -cert ca.pem -keyfile ca.key -gencrl \
	-crl_lastupdate 250101000000Z -crl_nextupdate 350101000000Z -out crl-ca.pem
run openssl crl -in crl-inter.pem -outform DER -out crl-inter.der
run openssl x509 -in ca.pem -outform DER -out ca.der

cp inter.pem chain.pem && cp ca.pem store/ca.pem || die "cannot copy certificates"
rm -f ./*.csr
exit 0
