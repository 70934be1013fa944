-- 0020_report_snapshots: a quarterly (or yearly) report, once made for a
-- period that has ended, is kept as issued and served as such: a later
-- deletion or revocation moves the live figures but does not rewrite a
-- filed report.  body is the file, base64-encoded (text on both backends).
CREATE TABLE report_snapshots (
  unit_code TEXT NOT NULL,
  period TEXT NOT NULL,
  format TEXT NOT NULL,
  lang TEXT NOT NULL,
  body TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  PRIMARY KEY (unit_code, period, format, lang)
);
