-- Equipment engine: fleet master, shift calendars, usage logs, stoppages and
-- meter readings. Times are INTEGER microseconds since the Unix epoch (UTC);
-- hours, meter readings and fuel are INTEGER thousandths (exact: a NUMERIC
-- column in SQLite would silently become a float).
CREATE TABLE erp_equipment (
    tenant_id    TEXT NOT NULL,
    code         TEXT NOT NULL,
    class        TEXT NOT NULL,
    make         TEXT NOT NULL DEFAULT '',
    model        TEXT NOT NULL DEFAULT '',
    serial       TEXT NOT NULL DEFAULT '',
    site         TEXT NOT NULL,
    fleet        TEXT NOT NULL DEFAULT '',
    ownership    TEXT NOT NULL CHECK (ownership IN ('owned','rented_in')),
    status       TEXT NOT NULL CHECK (status IN ('active','inactive','disposed')),
    commissioned TEXT, -- YYYY-MM-DD
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_equipment_site ON erp_equipment (tenant_id, site);
CREATE INDEX erp_equipment_class ON erp_equipment (tenant_id, class);

CREATE TABLE erp_equipment_calendars (
    tenant_id TEXT NOT NULL,
    site      TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    shifts    TEXT NOT NULL, -- JSON [{name, start_minute, length_minutes}]
    weekdays  TEXT NOT NULL, -- JSON [0..6]
    off_dates TEXT NOT NULL, -- JSON ["YYYY-MM-DD"]
    PRIMARY KEY (tenant_id, site)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_equipment_usage_logs (
    tenant_id       TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    equipment       TEXT    NOT NULL,
    shift_date      TEXT    NOT NULL, -- YYYY-MM-DD
    shift           TEXT    NOT NULL,
    operator        TEXT    NOT NULL,
    start_us        INTEGER NOT NULL,
    end_us          INTEGER NOT NULL CHECK (end_us > start_us),
    start_meter     INTEGER NOT NULL CHECK (start_meter >= 0), -- thousandths of an hour
    end_meter       INTEGER NOT NULL CHECK (end_meter >= start_meter),
    operating_milli INTEGER NOT NULL CHECK (operating_milli >= 0),
    activity        TEXT    NOT NULL,
    site            TEXT    NOT NULL,
    fuel_milli      INTEGER NOT NULL CHECK (fuel_milli >= 0), -- thousandths of a litre
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, equipment) REFERENCES erp_equipment (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_equipment_usage_logs_machine ON erp_equipment_usage_logs (tenant_id, equipment, start_us);
-- Covering for reports: a year of a fleet's logs is read from the index
-- alone, without a primary-key lookup per log.
CREATE INDEX erp_equipment_usage_logs_start ON erp_equipment_usage_logs
    (tenant_id, start_us, end_us, equipment, operating_milli, start_meter, end_meter);

CREATE TABLE erp_equipment_stoppages (
    tenant_id  TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    equipment  TEXT    NOT NULL,
    start_us   INTEGER NOT NULL,
    end_us     INTEGER CHECK (end_us IS NULL OR end_us > start_us), -- NULL while open
    reason     TEXT    NOT NULL,
    category   TEXT    NOT NULL CHECK (category IN ('scheduled_down','unscheduled_down','standby')),
    notes      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, equipment) REFERENCES erp_equipment (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_equipment_stoppages_machine ON erp_equipment_stoppages (tenant_id, equipment, start_us);
CREATE INDEX erp_equipment_stoppages_start ON erp_equipment_stoppages
    (tenant_id, start_us, end_us, equipment, reason, category, id); -- covering for reports

CREATE TABLE erp_equipment_meter_readings (
    tenant_id   TEXT    NOT NULL,
    equipment   TEXT    NOT NULL,
    meter       TEXT    NOT NULL CHECK (meter IN ('hour_meter','odometer')),
    at_us       INTEGER NOT NULL,
    ord         INTEGER NOT NULL, -- order of kinds at one instant
    seq         INTEGER NOT NULL, -- tie-break among readings of one kind at one instant
    value_milli INTEGER NOT NULL CHECK (value_milli >= 0),
    kind        TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, equipment, meter, at_us, ord, seq),
    FOREIGN KEY (tenant_id, equipment) REFERENCES erp_equipment (tenant_id, code)
) STRICT, WITHOUT ROWID;
