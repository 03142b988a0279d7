-- 0002_equipment: fleet master, shift calendars, usage logs, stoppages and
-- meter readings of the equipment engine. Every key starts with tenant_id and
-- every foreign key includes it. Hours, meter readings and fuel are exact
-- NUMERIC with three decimals.
CREATE TABLE erp_equipment (
    tenant_id    text        NOT NULL,
    code         text        NOT NULL,
    class        text        NOT NULL,
    make         text        NOT NULL DEFAULT '',
    model        text        NOT NULL DEFAULT '',
    serial       text        NOT NULL DEFAULT '',
    site         text        NOT NULL,
    fleet        text        NOT NULL DEFAULT '',
    ownership    text        NOT NULL CHECK (ownership IN ('owned', 'rented_in')),
    status       text        NOT NULL CHECK (status IN ('active', 'inactive', 'disposed')),
    commissioned date        NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT erp_equipment_pkey PRIMARY KEY (tenant_id, code)
);

CREATE INDEX erp_equipment_site ON erp_equipment (tenant_id, site);
CREATE INDEX erp_equipment_class ON erp_equipment (tenant_id, class);

CREATE TABLE erp_equipment_calendars (
    tenant_id text  NOT NULL,
    site      text  NOT NULL,
    time_zone text  NOT NULL,
    shifts    jsonb NOT NULL, -- [{name, start_minute, length_minutes}]
    weekdays  jsonb NOT NULL, -- [0..6]
    off_dates jsonb NOT NULL, -- ["YYYY-MM-DD"]
    CONSTRAINT erp_equipment_calendars_pkey PRIMARY KEY (tenant_id, site)
);

CREATE TABLE erp_equipment_usage_logs (
    tenant_id       text          NOT NULL,
    id              uuid          NOT NULL,
    equipment       text          NOT NULL,
    shift_date      date          NOT NULL,
    shift           text          NOT NULL,
    operator        text          NOT NULL,
    start_at        timestamptz   NOT NULL,
    end_at          timestamptz   NOT NULL CHECK (end_at > start_at),
    start_meter     numeric(18,3) NOT NULL CHECK (start_meter >= 0),
    end_meter       numeric(18,3) NOT NULL CHECK (end_meter >= start_meter),
    operating_hours numeric(18,3) NOT NULL CHECK (operating_hours >= 0),
    activity        text          NOT NULL,
    site            text          NOT NULL,
    fuel            numeric(18,3) NOT NULL CHECK (fuel >= 0),
    created_at      timestamptz   NOT NULL,
    -- Thousandths of an hour, derived once for reports (exact: at most three
    -- decimals), so that reading a year of logs does no NUMERIC arithmetic.
    operating_milli bigint GENERATED ALWAYS AS ((operating_hours * 1000)::bigint) STORED,
    meter_milli     bigint GENERATED ALWAYS AS (((end_meter - start_meter) * 1000)::bigint) STORED,
    CONSTRAINT erp_equipment_usage_logs_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_equipment_usage_logs_equipment_fkey FOREIGN KEY (tenant_id, equipment)
        REFERENCES erp_equipment (tenant_id, code)
);

CREATE INDEX erp_equipment_usage_logs_machine ON erp_equipment_usage_logs (tenant_id, equipment, start_at);
-- Covering for reports: once vacuumed, a year of a fleet's logs is read by
-- an index-only scan.
CREATE INDEX erp_equipment_usage_logs_start ON erp_equipment_usage_logs (tenant_id, start_at)
    INCLUDE (end_at, equipment, operating_milli, meter_milli);

CREATE TABLE erp_equipment_stoppages (
    tenant_id  text        NOT NULL,
    id         uuid        NOT NULL,
    equipment  text        NOT NULL,
    start_at   timestamptz NOT NULL,
    end_at     timestamptz NULL CHECK (end_at IS NULL OR end_at > start_at), -- NULL while open
    reason     text        NOT NULL,
    category   text        NOT NULL CHECK (category IN ('scheduled_down', 'unscheduled_down', 'standby')),
    notes      text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    CONSTRAINT erp_equipment_stoppages_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_equipment_stoppages_equipment_fkey FOREIGN KEY (tenant_id, equipment)
        REFERENCES erp_equipment (tenant_id, code)
);

CREATE INDEX erp_equipment_stoppages_machine ON erp_equipment_stoppages (tenant_id, equipment, start_at);
CREATE INDEX erp_equipment_stoppages_start ON erp_equipment_stoppages (tenant_id, start_at);

CREATE TABLE erp_equipment_meter_readings (
    tenant_id text          NOT NULL,
    equipment text          NOT NULL,
    meter     text          NOT NULL CHECK (meter IN ('hour_meter', 'odometer')),
    at        timestamptz   NOT NULL,
    ord       smallint      NOT NULL, -- order of kinds at one instant
    seq       integer       NOT NULL, -- tie-break among readings of one kind at one instant
    value     numeric(18,3) NOT NULL CHECK (value >= 0),
    kind      text          NOT NULL,
    CONSTRAINT erp_equipment_meter_readings_pkey PRIMARY KEY (tenant_id, equipment, meter, at, ord, seq),
    CONSTRAINT erp_equipment_meter_readings_equipment_fkey FOREIGN KEY (tenant_id, equipment)
        REFERENCES erp_equipment (tenant_id, code)
);
