// Owns the fixed inputs the src/ca tests share: the virtual "now" and artefacts made once by OpenSSL 3 (not by this code).

/** The virtual clock for every src/ca test, so dates in certificates and results are stable. */
export const NOW = new Date('2026-01-15T12:00:00Z');

/**
 * Made with OpenSSL 3.0: `openssl req -new -x509 -key k -subj "/DC=com/DC=Fabrikam/CN=mail.fabrikam.com"
 * -addext subjectAltName=DNS:mail.fabrikam.com -days 36500 -set_serial 0x8F0102`. Self-signed, CA:TRUE, no EKU,
 * and a serial whose top bit is set (DER 00 8F 01 02).
 */
export const OPENSSL_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIB+zCCAaGgAwIBAgIEAI8BAjAKBggqhkjOPQQDAjBLMRMwEQYKCZImiZPyLGQB
GRYDY29tMRgwFgYKCZImiZPyLGQBGRYIRmFicmlrYW0xGjAYBgNVBAMMEW1haWwu
ZmFicmlrYW0uY29tMCAXDTI2MTEyMzE4MTcyMVoYDzIxMjYxMDMwMTgxNzIxWjBL
MRMwEQYKCZImiZPyLGQBGRYDY29tMRgwFgYKCZImiZPyLGQBGRYIRmFicmlrYW0x
GjAYBgNVBAMMEW1haWwuZmFicmlrYW0uY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAELjRyRP7GaVAlChqDGbcNyNbUwB5zMYfT0DUieXLdpDHWvI2NMw0nSAsG
0THqywT4i5Xjopn7OaMT0qLtTPc6ZaNxMG8wHQYDVR0OBBYEFPhURMG9eHXXBGvC
33eSI3YQZv8oMB8GA1UdIwQYMBaAFPhURMG9eHXXBGvC33eSI3YQZv8oMA8GA1Ud
EwEB/wQFMAMBAf8wHAYDVR0RBBUwE4IRbWFpbC5mYWJyaWthbS5jb20wCgYIKoZI
zj0EAwIDSAAwRQIhAIPQZGfoyknDEQTSnMdFsEGMxi8fXEaGd67PX8rlWzRJAiBS
7icuywXeQYTBfgRQq2RH+yYej2T5moRCbF35TeyKug==
-----END CERTIFICATE-----
`;
export const OPENSSL_CERT_THUMBPRINT = 'C7BDC5AC338ED36F354FCE64A1AEF1F594B7818F';

/**
 * OPENSSL_CERT_PEM and its key as Windows exports them ("TripleDES-SHA1"): `openssl pkcs12 -export -keypbe PBE-SHA1-3DES
 * -certpbe PBE-SHA1-3DES -macalg sha1 -passout pass:Pa55w.rd`.
 */
export const OPENSSL_3DES_PFX_PASSWORD = 'Pa55w.rd';
export const OPENSSL_3DES_PFX_BASE64 = [
  'MIID+gIBAzCCA8AGCSqGSIb3DQEHAaCCA7EEggOtMIIDqTCCAp8GCSqGSIb3DQEHBqCCApAwggKMAgEAMIIChQYJKoZIhvcNAQcB',
  'MBwGCiqGSIb3DQEMAQMwDgQIGWZRHyLmDEECAggAgIICWFOnei5GzxPUfUs/JMsk//5nDbwnMgcd6lOqlmrdfHxNnlcyYHY6OLOa',
  'lmT2uRFqJFBYP83ulFEuyZWntQ0/g/hUn03/tQaPgohu14yaixwxohBs84XVW+kKCIczqRA63b8Kks7f5CGtoYzxHsUoJl4nr8Jp',
  'bTHMORz9MS8tAinNocuPngZLgfMVinSHDDd0V/iFBnX2YHdQ8uKH4jO6dwWrhtGXiquy0HHjR/AEtPKBz3r860aO16eRHBmqLKQ1',
  'qrwKV75eXi6w1gPVktzCrcF+iPMFA+b7ixCZe8J7X+9TYGlveb4J10w/Gtvvf/Wntz1+sO7+7avB/DHnhfo7AATE8jCHAXhm4Cun',
  'NlslD0x4fqyqtIqBuou6QjD/GQRo2sYdHyYEYLO/YZM7Q1U8WKpZ4OJUvSCucnk2ZBXLN0/t+UA75AKscLCxOqOdbWs1QMx4Xbjw',
  'UsZfj1aY1in9dtC50G0a7Xw7nM09ZaNwHOWTS3E3zci7qLVQykaLsDcPDjTx/eft2faT00nLqfNxRCpas9iTlrObC7eUm9uMvO03',
  'ib+h6wt8sDzE/5P9evvsSInMNxvxA6EWxKgixxWrdxw/E9UJI/2KbSnEwJwwVZl1zWUeSoRxm4rKjFkWHpUKy7Li6N+AKeHoAEq9',
  'NwO6LTxsTX1HRf0nGRBfpxPSPrnz0rXGKDiDjWdgCgV5SEZjtr8bel0+7bAd3qa+qvSgJf7M7/7SXlWq1ld33PY1AZdVP54wedwD',
  'kC5gIKLyM0D+5YIIlpVNQpakj9Q3MCKWSXdfriohtsdUuDCCAQIGCSqGSIb3DQEHAaCB9ASB8TCB7jCB6wYLKoZIhvcNAQwKAQKg',
  'gbQwgbEwHAYKKoZIhvcNAQwBAzAOBAhbCT+tzc7kzAICCAAEgZDeKTmuM47tVOOHLJOXRpxAewItDmD6RYp5uu2ErlOmHrDYPI4z',
  '6lniX9y2spu8jWsNPdCc8HwuRFTtXRa4NEGbdr9oa/Og/lgaKPNeJHjA4fpF61luDiGwcr5mau7FxpIsGuQCt5bQ6UBfObZCNTmf',
  'uBqlV3A7g7m9FuGK+BPSifVXhR2MRjaZfmbJYRbPKsgxJTAjBgkqhkiG9w0BCRUxFgQUx73FrDOO0281T85koa7x9ZS3gY8wMTAh',
  'MAkGBSsOAwIaBQAEFFgL+kz70aKcgjzof+eZHdjzbcvRBAg8dYowKym4igICCAA=',
].join('');
