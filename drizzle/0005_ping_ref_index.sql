CREATE INDEX `pings_ref_ts_idx` ON `pings` (json_extract("ref", '$.ts'));
