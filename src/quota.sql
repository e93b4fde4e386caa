-- The quota type (src/quota.c): a target amount per period unit, written
-- amount/unit.

CREATE TYPE quota.quota;

CREATE FUNCTION quota.quota_in(cstring) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_in(cstring) IS
	'text input of a quota, written amount/unit such as 150/month';

CREATE FUNCTION quota.quota_out(quota.quota) RETURNS cstring
	AS 'MODULE_PATHNAME', 'quota_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_out(quota.quota) IS
	'canonical text output of a quota, such as 50000.5/quarter';

CREATE FUNCTION quota.quota_recv(internal) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_recv(internal) IS
	'binary input of a quota: format version, unit, numeric amount';

CREATE FUNCTION quota.quota_send(quota.quota) RETURNS bytea
	AS 'MODULE_PATHNAME', 'quota_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_send(quota.quota) IS
	'binary output of a quota: format version, unit, numeric amount';

CREATE TYPE quota.quota (
	INPUT = quota.quota_in,
	OUTPUT = quota.quota_out,
	RECEIVE = quota.quota_recv,
	SEND = quota.quota_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended,
	ALIGNMENT = int4
);
COMMENT ON TYPE quota.quota IS
	'a target amount per period unit (day, week, month, quarter, half, year), such as 150/month';

-- Accessors.

CREATE FUNCTION quota.amount(quota.quota) RETURNS numeric
	AS 'MODULE_PATHNAME', 'quota_amount'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.amount(quota.quota) IS
	'the amount of a quota';

CREATE FUNCTION quota.unit(quota.quota) RETURNS text
	AS 'MODULE_PATHNAME', 'quota_unit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.unit(quota.quota) IS
	'the period unit of a quota: day, week, month, quarter, half or year';

-- Comparison: by unit (day first, year last), then by amount.

CREATE FUNCTION quota.quota_lt(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_lt(quota.quota, quota.quota) IS
	'implementation of the quota < operator';

CREATE FUNCTION quota.quota_le(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_le(quota.quota, quota.quota) IS
	'implementation of the quota <= operator';

CREATE FUNCTION quota.quota_eq(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_eq(quota.quota, quota.quota) IS
	'implementation of the quota = operator';

CREATE FUNCTION quota.quota_ne(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_ne(quota.quota, quota.quota) IS
	'implementation of the quota <> operator';

CREATE FUNCTION quota.quota_ge(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_ge(quota.quota, quota.quota) IS
	'implementation of the quota >= operator';

CREATE FUNCTION quota.quota_gt(quota.quota, quota.quota) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quota_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_gt(quota.quota, quota.quota) IS
	'implementation of the quota > operator';

CREATE FUNCTION quota.quota_cmp(quota.quota, quota.quota) RETURNS integer
	AS 'MODULE_PATHNAME', 'quota_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_cmp(quota.quota, quota.quota) IS
	'btree support: negative, zero or positive as the first quota sorts before, with or after the second';

CREATE OPERATOR quota.< (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_lt,
	COMMUTATOR = OPERATOR(quota.>), NEGATOR = OPERATOR(quota.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
COMMENT ON OPERATOR quota.< (quota.quota, quota.quota) IS
	'less than: shorter unit, or same unit and smaller amount';

CREATE OPERATOR quota.<= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_le,
	COMMUTATOR = OPERATOR(quota.>=), NEGATOR = OPERATOR(quota.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
COMMENT ON OPERATOR quota.<= (quota.quota, quota.quota) IS
	'less than or equal';

CREATE OPERATOR quota.= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_eq,
	COMMUTATOR = OPERATOR(quota.=), NEGATOR = OPERATOR(quota.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
COMMENT ON OPERATOR quota.= (quota.quota, quota.quota) IS
	'equal: same unit and same amount';

CREATE OPERATOR quota.<> (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_ne,
	COMMUTATOR = OPERATOR(quota.<>), NEGATOR = OPERATOR(quota.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR quota.<> (quota.quota, quota.quota) IS
	'not equal';

CREATE OPERATOR quota.>= (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_ge,
	COMMUTATOR = OPERATOR(quota.<=), NEGATOR = OPERATOR(quota.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR quota.>= (quota.quota, quota.quota) IS
	'greater than or equal';

CREATE OPERATOR quota.> (
	LEFTARG = quota.quota, RIGHTARG = quota.quota,
	FUNCTION = quota.quota_gt,
	COMMUTATOR = OPERATOR(quota.<), NEGATOR = OPERATOR(quota.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
COMMENT ON OPERATOR quota.> (quota.quota, quota.quota) IS
	'greater than: longer unit, or same unit and larger amount';

CREATE OPERATOR CLASS quota.quota_btree_ops
	DEFAULT FOR TYPE quota.quota USING btree AS
		OPERATOR 1 quota.<,
		OPERATOR 2 quota.<=,
		OPERATOR 3 quota.=,
		OPERATOR 4 quota.>=,
		OPERATOR 5 quota.>,
		FUNCTION 1 quota.quota_cmp(quota.quota, quota.quota);
COMMENT ON OPERATOR CLASS quota.quota_btree_ops USING btree IS
	'default btree operator class for quotas: by unit, then by amount';

-- Hashing: equal quotas hash equal.

CREATE FUNCTION quota.quota_hash(quota.quota) RETURNS integer
	AS 'MODULE_PATHNAME', 'quota_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_hash(quota.quota) IS
	'hash support: 32-bit hash of a quota';

CREATE FUNCTION quota.quota_hash_extended(quota.quota, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'quota_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_hash_extended(quota.quota, bigint) IS
	'hash support: seeded 64-bit hash of a quota';

CREATE OPERATOR CLASS quota.quota_hash_ops
	DEFAULT FOR TYPE quota.quota USING hash AS
		OPERATOR 1 quota.=,
		FUNCTION 1 quota.quota_hash(quota.quota),
		FUNCTION 2 quota.quota_hash_extended(quota.quota, bigint);
COMMENT ON OPERATOR CLASS quota.quota_hash_ops USING hash IS
	'default hash operator class for quotas';

-- Scaling: ramps and relief multiply the amount, rounded to 4 places.

CREATE FUNCTION quota.quota_mul_numeric(quota.quota, numeric) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'quota_mul_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.quota_mul_numeric(quota.quota, numeric) IS
	'scales the amount of a quota by a factor of zero or more, rounded half away from zero to 4 decimal places';

CREATE FUNCTION quota.numeric_mul_quota(numeric, quota.quota) RETURNS quota.quota
	AS 'MODULE_PATHNAME', 'numeric_mul_quota'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.numeric_mul_quota(numeric, quota.quota) IS
	'scales the amount of a quota by a factor of zero or more, rounded half away from zero to 4 decimal places';

CREATE OPERATOR quota.* (
	LEFTARG = quota.quota, RIGHTARG = numeric,
	FUNCTION = quota.quota_mul_numeric,
	COMMUTATOR = OPERATOR(quota.*)
);
COMMENT ON OPERATOR quota.* (quota.quota, numeric) IS
	'scales the amount of a quota';

CREATE OPERATOR quota.* (
	LEFTARG = numeric, RIGHTARG = quota.quota,
	FUNCTION = quota.numeric_mul_quota,
	COMMUTATOR = OPERATOR(quota.*)
);
COMMENT ON OPERATOR quota.* (numeric, quota.quota) IS
	'scales the amount of a quota';
