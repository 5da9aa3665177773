-- Redress schema, first version, for PostgreSQL: the same tables as
-- migrations/sqlite/0001_init.sql. Times are TEXT in UTC with a fixed width
-- ("2006-01-02T15:04:05.000000Z") so that text order is time order on every
-- engine; dates are TEXT "YYYY-MM-DD" in Beijing time. Keys are BIGINT
-- identities, flags BOOLEAN, amounts in fen BIGINT.

CREATE TABLE org_units (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('hq', 'branch', 'sub_branch', 'outlet')),
    parent_id   BIGINT REFERENCES org_units (id),
    path        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('staff', 'manager', 'branch_head', 'hq_service', 'auditor', 'admin')),
    org_id         BIGINT NOT NULL REFERENCES org_units (id),
    password_hash  TEXT NOT NULL DEFAULT '',
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

-- Browser sessions, shared by every server: the cookie's SHA-256 digest only.
CREATE TABLE sessions (
    digest        TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    remote        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    digest        TEXT NOT NULL UNIQUE,
    label         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE codes (
    code       TEXT PRIMARY KEY,
    dimension  TEXT NOT NULL CHECK (dimension IN ('A', 'B', 'C')),
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    parent     TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE case_counters (
    day   TEXT PRIMARY KEY,
    last  BIGINT NOT NULL
);

CREATE TABLE cases (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    no                  TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    channel             TEXT NOT NULL,
    received_at         TEXT NOT NULL,
    c_name              TEXT NOT NULL,
    c_id_type           TEXT NOT NULL DEFAULT '',
    c_id_number_enc     TEXT NOT NULL DEFAULT '',
    c_id_number_idx     TEXT NOT NULL DEFAULT '',
    c_phone_enc         TEXT NOT NULL DEFAULT '',
    c_phone_idx         TEXT NOT NULL DEFAULT '',
    c_account_enc       TEXT NOT NULL DEFAULT '',
    c_account_idx       TEXT NOT NULL DEFAULT '',
    c_org_name          TEXT NOT NULL DEFAULT '',
    c_credit_code       TEXT NOT NULL DEFAULT '',
    c_legal_rep         TEXT NOT NULL DEFAULT '',
    respondent_org_id   BIGINT REFERENCES org_units (id),
    respondent_staff_id BIGINT REFERENCES users (id),
    accusation          BOOLEAN NOT NULL DEFAULT FALSE,
    subject             TEXT NOT NULL,
    description         TEXT NOT NULL,
    request             TEXT NOT NULL DEFAULT '',
    amount_fen          BIGINT,
    code_a              TEXT REFERENCES codes (code),
    code_b              TEXT REFERENCES codes (code),
    code_c              TEXT REFERENCES codes (code),
    risk                TEXT NOT NULL,
    priority            TEXT NOT NULL,
    org_id              BIGINT NOT NULL REFERENCES org_units (id),
    origin_org_id       BIGINT NOT NULL REFERENCES org_units (id),
    first_responder_id  BIGINT NOT NULL REFERENCES users (id),
    handler_id          BIGINT REFERENCES users (id),
    level               INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL,
    reply_due           TEXT NOT NULL,
    decision_due        TEXT NOT NULL,
    liability           TEXT NOT NULL DEFAULT '',
    responsible_party   TEXT NOT NULL DEFAULT '',
    root_cause          TEXT NOT NULL DEFAULT '',
    accountability      TEXT NOT NULL DEFAULT '',
    outcome             TEXT NOT NULL DEFAULT '',
    redress_fen         BIGINT,
    reply_json          TEXT NOT NULL DEFAULT '',
    replied_at          TEXT,
    signed_off_by_id    BIGINT REFERENCES users (id),
    signed_off_at       TEXT,
    satisfaction        TEXT NOT NULL DEFAULT '',
    closed_at           TEXT,
    end_reason          TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX cases_received ON cases (received_at, id);
CREATE INDEX cases_org_received ON cases (org_id, received_at, id);
CREATE INDEX cases_origin_received ON cases (origin_org_id, received_at, id);
CREATE INDEX cases_status_due ON cases (status, decision_due);
CREATE INDEX cases_handler ON cases (handler_id, status);
CREATE INDEX cases_phone_idx ON cases (c_phone_idx);
CREATE INDEX cases_id_number_idx ON cases (c_id_number_idx);

CREATE TABLE case_entries (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('finding', 'note')),
    author_id  BIGINT NOT NULL REFERENCES users (id),
    at         TEXT NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX case_entries_case ON case_entries (case_id, id);

-- Declared conflicts of interest (回避): the user may not handle or sign off the case.
CREATE TABLE case_conflicts (
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    reason   TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- The audit trail: one hash chain over every change in the system.
CREATE TABLE events (
    seq        BIGINT PRIMARY KEY,
    case_no    TEXT NOT NULL DEFAULT '',
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    at         TEXT NOT NULL,
    changes    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX events_case ON events (case_no, seq);
CREATE INDEX events_actor ON events (actor, seq);
CREATE INDEX events_action ON events (action, seq);

-- The head of the chain, updated with every event: catches deletions at the end.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- JR/T 0169-2018 code lists, seeded; editable by an admin.
INSERT INTO codes (code, dimension, name, name_en, parent) VALUES
    ('A01', 'A', '营业现场', 'Branch premises', ''),
    ('A02', 'A', '自助机具', 'Self-service machines', ''),
    ('A03', 'A', '电子渠道', 'Electronic channels', ''),
    ('A0301', 'A', '网上银行', 'Online banking', 'A03'),
    ('A0302', 'A', '电话银行', 'Telephone banking', 'A03'),
    ('A0303', 'A', '移动客户端', 'Mobile app', 'A03'),
    ('A0304', 'A', '网络公众平台', 'Public online platforms', 'A03'),
    ('A0305', 'A', '短信', 'SMS', 'A03'),
    ('A0399', 'A', '其他电子渠道', 'Other electronic channels', 'A03'),
    ('A04', 'A', '第三方渠道', 'Third-party channels', ''),
    ('A05', 'A', '中后台', 'Middle and back office', ''),
    ('A99', 'A', '其他', 'Other', ''),
    ('B01', 'B', '人民币储蓄', 'RMB savings', ''),
    ('B02', 'B', '贷款', 'Loans', ''),
    ('B03', 'B', '银行卡', 'Bank cards', ''),
    ('B04', 'B', '支付结算', 'Payment and settlement', ''),
    ('B05', 'B', '个人金融信息', 'Personal financial information', ''),
    ('B06', 'B', '自营理财', 'Own wealth management products', ''),
    ('B07', 'B', '银行代理业务', 'Agency business', ''),
    ('B08', 'B', '贵金属', 'Precious metals', ''),
    ('B09', 'B', '外汇', 'Foreign exchange', ''),
    ('B10', 'B', '人民币管理', 'RMB currency management', ''),
    ('B11', 'B', '国库', 'Treasury', ''),
    ('B12', 'B', '债务催收', 'Debt collection', ''),
    ('B13', 'B', '其他中间业务', 'Other intermediary business', ''),
    ('B99', 'B', '其他', 'Other', ''),
    ('C01', 'C', '服务态度及服务质量', 'Service attitude and quality', ''),
    ('C02', 'C', '服务设施、设备、业务系统', 'Facilities, equipment and systems', ''),
    ('C03', 'C', '管理制度、业务规则与流程', 'Policies, rules and processes', ''),
    ('C04', 'C', '营销方式和手段', 'Marketing methods', ''),
    ('C05', 'C', '信息披露', 'Information disclosure', ''),
    ('C06', 'C', '自主选择权', 'Freedom of choice', ''),
    ('C07', 'C', '定价收费', 'Pricing and fees', ''),
    ('C08', 'C', '产品收益', 'Product returns', ''),
    ('C09', 'C', '合同条款', 'Contract terms', ''),
    ('C10', 'C', '消费者资金安全', 'Safety of consumer funds', ''),
    ('C11', 'C', '消费者信息安全', 'Security of consumer information', ''),
    ('C12', 'C', '债务催收方式和手段', 'Debt collection methods', ''),
    ('C99', 'C', '其他', 'Other', '');
