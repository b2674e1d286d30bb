package io.appmetricsproxy.exposition;

/** The tokens of Prometheus' exposition lexers (model/textparse), named as its errors name them. */
enum Token {
  INVALID,
  EOF,
  LINEBREAK,
  WHITESPACE,
  HELP,
  TYPE,
  UNIT,
  EOFWORD,
  TEXT,
  COMMENT,
  MNAME,
  BOPEN,
  BCLOSE,
  LNAME,
  LVALUE,
  COMMA,
  EQUAL,
  TIMESTAMP,
  VALUE
}
