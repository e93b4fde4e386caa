-- The attainment type: an exact pair (actual, target), written "150 of 120"
-- (src/attainment.c).  Values order by the ratio actual / target, exactly;
-- values with target 0 have no ratio ("no quota"), are equal to each other
-- and are lower than every value with a target, so that the descending
-- orders of rankings put them last.

CREATE TYPE quota.attainment;

CREATE FUNCTION quota.attainment_in(cstring) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_in(cstring) IS
	'text input of an attainment, written "<actual> of <target>" such as 150 of 120';

CREATE FUNCTION quota.attainment_out(quota.attainment) RETURNS cstring
	AS 'MODULE_PATHNAME', 'attainment_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_out(quota.attainment) IS
	'canonical text output of an attainment, such as 12.5 of 10';

CREATE FUNCTION quota.attainment_recv(internal) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_recv(internal) IS
	'binary input of an attainment: format version, numeric actual, numeric target';

CREATE FUNCTION quota.attainment_send(quota.attainment) RETURNS bytea
	AS 'MODULE_PATHNAME', 'attainment_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_send(quota.attainment) IS
	'binary output of an attainment: format version, numeric actual, numeric target';

CREATE TYPE quota.attainment (
	INPUT = quota.attainment_in,
	OUTPUT = quota.attainment_out,
	RECEIVE = quota.attainment_recv,
	SEND = quota.attainment_send,
	INTERNALLENGTH = VARIABLE,
	-- Values are small; kept plain (never compressed, never given a short
	-- header) they are compared and sorted where they lie, without copying.
	STORAGE = plain,
	ALIGNMENT = int4
);
COMMENT ON TYPE quota.attainment IS
	'an exact actual and target, such as 150 of 120; ordered by the ratio actual / target (150 of 120 = 5 of 4), with values of target 0 (no quota) equal to each other and lower than all others, so last in descending rankings';

-- Construction and accessors.

CREATE FUNCTION quota.attainment(actual numeric, target numeric) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment(numeric, numeric) IS
	'the attainment of an actual against a target, both finite and zero or greater';

CREATE FUNCTION quota.actual(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_actual'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.actual(quota.attainment) IS
	'the actual of an attainment';

CREATE FUNCTION quota.target(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_target'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.target(quota.attainment) IS
	'the target of an attainment';

CREATE FUNCTION quota.ratio(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_ratio'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.ratio(quota.attainment) IS
	'actual / target (1.25 = 125 %), with at least 20 fractional digits before trailing zeros are dropped; NULL when the target is 0 (no quota)';

CREATE FUNCTION quota.shortfall(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_shortfall'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.shortfall(quota.attainment) IS
	'how much is missing: max(target - actual, 0)';

CREATE FUNCTION quota.surplus(quota.attainment) RETURNS numeric
	AS 'MODULE_PATHNAME', 'attainment_surplus'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.surplus(quota.attainment) IS
	'how much is beyond the target: max(actual - target, 0)';

CREATE FUNCTION quota.met(quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_met'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.met(quota.attainment) IS
	'whether the quota is met: actual >= target (true for 0 of 0)';

CREATE CAST (quota.attainment AS numeric)
	WITH FUNCTION quota.ratio(quota.attainment);
COMMENT ON CAST (quota.attainment AS numeric) IS
	'the ratio actual / target, NULL when the target is 0 (no quota); explicit only';

-- Addition: rolls reps up into a team.

CREATE FUNCTION quota.attainment_add(quota.attainment, quota.attainment) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_add(quota.attainment, quota.attainment) IS
	'adds actuals and targets: the + operator; also the transition function of quota.sum and the combine function of quota.sum and quota.attain, which then update their running sum in place';

CREATE OPERATOR quota.+ (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_add,
	COMMUTATOR = OPERATOR(quota.+)
);
COMMENT ON OPERATOR quota.+ (quota.attainment, quota.attainment) IS
	'adds actuals and targets';

-- Comparison: by ratio, exactly; no target (0) is lowest.

CREATE FUNCTION quota.attainment_lt(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_lt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_lt(quota.attainment, quota.attainment) IS
	'implementation of the attainment < operator';

CREATE FUNCTION quota.attainment_le(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_le'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_le(quota.attainment, quota.attainment) IS
	'implementation of the attainment <= operator';

CREATE FUNCTION quota.attainment_eq(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_eq'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_eq(quota.attainment, quota.attainment) IS
	'implementation of the attainment = operator';

CREATE FUNCTION quota.attainment_ne(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_ne'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_ne(quota.attainment, quota.attainment) IS
	'implementation of the attainment <> operator';

CREATE FUNCTION quota.attainment_ge(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_ge'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_ge(quota.attainment, quota.attainment) IS
	'implementation of the attainment >= operator';

CREATE FUNCTION quota.attainment_gt(quota.attainment, quota.attainment) RETURNS boolean
	AS 'MODULE_PATHNAME', 'attainment_gt'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_gt(quota.attainment, quota.attainment) IS
	'implementation of the attainment > operator';

CREATE FUNCTION quota.attainment_cmp(quota.attainment, quota.attainment) RETURNS integer
	AS 'MODULE_PATHNAME', 'attainment_cmp'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_cmp(quota.attainment, quota.attainment) IS
	'btree support: negative, zero or positive as the first ratio is lower than, equal to or higher than the second; no target (0) is lowest';

CREATE FUNCTION quota.attainment_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'attainment_sortsupport'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_sortsupport(internal) IS
	'btree support: sort support for attainments, with abbreviated keys that follow the ratio';

CREATE OPERATOR quota.< (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_lt,
	COMMUTATOR = OPERATOR(quota.>), NEGATOR = OPERATOR(quota.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
COMMENT ON OPERATOR quota.< (quota.attainment, quota.attainment) IS
	'lower ratio; no target (0) is lower than any ratio';

CREATE OPERATOR quota.<= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_le,
	COMMUTATOR = OPERATOR(quota.>=), NEGATOR = OPERATOR(quota.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
COMMENT ON OPERATOR quota.<= (quota.attainment, quota.attainment) IS
	'lower or equal ratio; no target (0) is lower than any ratio';

CREATE OPERATOR quota.= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_eq,
	COMMUTATOR = OPERATOR(quota.=), NEGATOR = OPERATOR(quota.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
COMMENT ON OPERATOR quota.= (quota.attainment, quota.attainment) IS
	'equal ratio (150 of 120 = 5 of 4); all values without a target (0) are equal';

CREATE OPERATOR quota.<> (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_ne,
	COMMUTATOR = OPERATOR(quota.<>), NEGATOR = OPERATOR(quota.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR quota.<> (quota.attainment, quota.attainment) IS
	'different ratio';

CREATE OPERATOR quota.>= (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_ge,
	COMMUTATOR = OPERATOR(quota.<=), NEGATOR = OPERATOR(quota.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR quota.>= (quota.attainment, quota.attainment) IS
	'higher or equal ratio; any ratio is higher than no target (0)';

CREATE OPERATOR quota.> (
	LEFTARG = quota.attainment, RIGHTARG = quota.attainment,
	FUNCTION = quota.attainment_gt,
	COMMUTATOR = OPERATOR(quota.<), NEGATOR = OPERATOR(quota.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
COMMENT ON OPERATOR quota.> (quota.attainment, quota.attainment) IS
	'higher ratio; any ratio is higher than no target (0)';

CREATE OPERATOR CLASS quota.attainment_btree_ops
	DEFAULT FOR TYPE quota.attainment USING btree AS
		OPERATOR 1 quota.<,
		OPERATOR 2 quota.<=,
		OPERATOR 3 quota.=,
		OPERATOR 4 quota.>=,
		OPERATOR 5 quota.>,
		FUNCTION 1 quota.attainment_cmp(quota.attainment, quota.attainment),
		FUNCTION 2 quota.attainment_sortsupport(internal);
COMMENT ON OPERATOR CLASS quota.attainment_btree_ops USING btree IS
	'default btree operator class for attainments: by ratio, no target (0) lowest, so last in ORDER BY ... DESC';

-- Hashing: equal ratios hash equal.

CREATE FUNCTION quota.attainment_hash(quota.attainment) RETURNS integer
	AS 'MODULE_PATHNAME', 'attainment_hash'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_hash(quota.attainment) IS
	'hash support: 32-bit hash of the ratio of an attainment in lowest terms';

CREATE FUNCTION quota.attainment_hash_extended(quota.attainment, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'attainment_hash_extended'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_hash_extended(quota.attainment, bigint) IS
	'hash support: seeded 64-bit hash of the ratio of an attainment in lowest terms';

CREATE OPERATOR CLASS quota.attainment_hash_ops
	DEFAULT FOR TYPE quota.attainment USING hash AS
		OPERATOR 1 quota.=,
		FUNCTION 1 quota.attainment_hash(quota.attainment),
		FUNCTION 2 quota.attainment_hash_extended(quota.attainment, bigint);
COMMENT ON OPERATOR CLASS quota.attainment_hash_ops USING hash IS
	'default hash operator class for attainments: equal ratios hash equal';

-- Aggregates: usable on any table.  Rows with a NULL are skipped and no rows
-- give NULL, as with sum; the running sum is updated in place.

CREATE FUNCTION quota.attainment_attain_transition(quota.attainment, numeric, numeric)
	RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_attain_transition'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_attain_transition(quota.attainment, numeric, numeric) IS
	'transition function of quota.attain: adds an actual and a target to the running sum; not strict, as the first row starts the sum and rows with a NULL are skipped';

CREATE FUNCTION quota.attainment_final(quota.attainment) RETURNS quota.attainment
	AS 'MODULE_PATHNAME', 'attainment_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quota.attainment_final(quota.attainment) IS
	'final function of quota.attain and quota.sum: the running sum in canonical form';

CREATE AGGREGATE quota.attain(actual numeric, target numeric) (
	SFUNC = quota.attainment_attain_transition,
	STYPE = quota.attainment,
	FINALFUNC = quota.attainment_final,
	COMBINEFUNC = quota.attainment_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quota.attain(numeric, numeric) IS
	'the attainment of the summed actuals against the summed targets; rows with a NULL are skipped, no rows give NULL; order by it DESC to rank, values without a target (0) last';

CREATE AGGREGATE quota.sum(quota.attainment) (
	SFUNC = quota.attainment_add,
	STYPE = quota.attainment,
	FINALFUNC = quota.attainment_final,
	COMBINEFUNC = quota.attainment_add,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quota.sum(quota.attainment) IS
	'adds attainments (actuals and targets), such as the reps of a team; NULLs are skipped, no rows give NULL; order by it DESC to rank, values without a target (0) last';
