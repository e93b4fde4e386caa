/*
 * attainment.c
 *	  The attainment type: an exact pair (actual, target), written
 *	  "150 of 120".  Text and binary I/O, accessors, ratio order (with sort
 *	  support and abbreviated keys), hashing of ratios, addition and the
 *	  aggregates quota.attain and quota.sum.
 *
 *	  Values compare by their ratio actual / target, exactly, by cross
 *	  multiplication.  A value with target 0 has no ratio ("no quota"); all
 *	  such values are equal to each other and lower than every value with a
 *	  target, so that they come last in the descending orders of rankings.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int128.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/sortsupport.h"

#include "numeric_form.h"
#include "quota_ext.h"

/* First byte of the binary form; attainment_recv refuses any other. */
#define ATTAINMENT_BINARY_VERSION 1

#define ATTAINMENT_SYNTAX_HINT \
	"An attainment is written \"<actual> of <target>\", such as 150 of 120, " \
	"with two numbers zero or greater."

/*
 * Room, in bytes, that an aggregate's running state keeps for each of its two
 * sums, so that it can be updated in place: a numeric varlena of 12 base-10000
 * digits (about 48 decimal digits) with a long header.
 */
#define ATTAINMENT_STATE_ROOM 32

/*
 * An attainment: two finite non-negative numerics, each a complete numeric
 * varlena stored inline.  The actual follows the header; the target starts at
 * target_offset.  Values made by the input functions and operators are
 * canonical: amounts trimmed of trailing fractional zeros, no spare bytes.
 * An aggregate's running state keeps room after each amount instead (see
 * attainment_accumulate); its final function makes it canonical.
 */
typedef struct Attainment
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		target_offset;	/* bytes from the start of the value to the target */
	/* the actual, a numeric varlena, follows; the target at target_offset */
} Attainment;

#define ATTAINMENT_ACTUAL(a) ((Numeric) ((char *) (a) + sizeof(Attainment)))
#define ATTAINMENT_TARGET(a) ((Numeric) ((char *) (a) + (a)->target_offset))
#define ATTAINMENT_ACTUAL_ROOM(a) ((Size) (a)->target_offset - sizeof(Attainment))
#define ATTAINMENT_TARGET_ROOM(a) ((Size) VARSIZE(a) - (a)->target_offset)
#define DatumGetAttainmentP(d) ((Attainment *) PG_DETOAST_DATUM(d))
#define PG_GETARG_ATTAINMENT_P(n) DatumGetAttainmentP(PG_GETARG_DATUM(n))
#define PG_RETURN_ATTAINMENT_P(a) PG_RETURN_POINTER(a)

/* Numeric constants, made once per backend by exact_constant. */
static Numeric two_to_the_32;
static Numeric int64_max_numeric;

/* Returns a numeric with either varlena header as a Numeric, copied if it must be. */
static Numeric
unpacked_numeric(const struct varlena *num)
{
	return DatumGetNumeric(PG_DETOAST_DATUM(PointerGetDatum(num)));
}

/*
 * Raises an error unless a number (either varlena header) can be the actual
 * or the target (role) of an attainment.
 */
static void
check_amount(const struct varlena *amount, const char *role)
{
	NumericParts parts;
	AmountProblem problem;

	if (numeric_form_read(amount, &parts) && !parts.negative)
		return;
	problem = amount_problem(unpacked_numeric(amount));
	if (problem != AMOUNT_FITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s for an attainment", role),
				 errdetail("%s", amount_problem_detail(problem)),
				 errhint("The actual and the target of an attainment are finite numbers, zero or greater.")));
}

/*
 * Builds a value from copies of two numerics, keeping at least room bytes for
 * each (0 for a value without spare bytes).
 */
static Attainment *
attainment_build(Numeric actual, Numeric target, Size room)
{
	Size		actual_space = INTALIGN(Max(VARSIZE(actual), room));
	Size		target_space = Max(VARSIZE(target), room);
	Size		size = sizeof(Attainment) + actual_space + target_space;
	Attainment *result = (Attainment *) palloc0(size);

	SET_VARSIZE(result, size);
	result->target_offset = sizeof(Attainment) + actual_space;
	memcpy(ATTAINMENT_ACTUAL(result), actual, VARSIZE(actual));
	memcpy(ATTAINMENT_TARGET(result), target, VARSIZE(target));
	return result;
}

/* Makes a canonical value: amounts trimmed of trailing fractional zeros, no spare bytes. */
static Attainment *
attainment_pack(Numeric actual, Numeric target)
{
	return attainment_build(exact_trimmed(actual), exact_trimmed(target), 0);
}

/*
 * Orders two values by ratio, exactly: a1/t1 against a2/t2 is a1·t2 against
 * a2·t1.  Values without a target are equal to each other and lower than all
 * others.  Small amounts are multiplied as 128-bit integers, others as
 * numerics; the numeric products are freed, since sorts call this many times
 * in one memory context.
 */
static int
attainment_cmp_internal(Attainment *x, Attainment *y)
{
	Numeric		amounts[4] = {ATTAINMENT_ACTUAL(x), ATTAINMENT_TARGET(x),
							  ATTAINMENT_ACTUAL(y), ATTAINMENT_TARGET(y)};
	bool		x_has_target = !exact_is_zero(amounts[1]);
	bool		y_has_target = !exact_is_zero(amounts[3]);
	int64		integers[4];
	INT128		difference = int64_to_int128(0);
	Numeric		x_cross;
	Numeric		y_cross;
	int			result;

	if (!x_has_target || !y_has_target)
		return (int) x_has_target - (int) y_has_target;

	if (numeric_form_as_integers(amounts, 4, integers))
	{
		int128_add_int64_mul_int64(&difference, integers[0], integers[3]);
		int128_add_int64_mul_int64(&difference, -integers[2], integers[1]);
		return int128_compare(difference, int64_to_int128(0));
	}

	x_cross = numeric_mul_opt_error(amounts[0], amounts[3], NULL);
	y_cross = numeric_mul_opt_error(amounts[2], amounts[1], NULL);
	result = exact_cmp(x_cross, y_cross);
	pfree(x_cross);
	pfree(y_cross);
	return result;
}

/*
 * Sort support: the full comparison of two values; also the comparison
 * behind the operators.  Frees the copies that detoasting makes.
 */
static int
attainment_sort_cmp(Datum x, Datum y, SortSupport ssup)
{
	Attainment *x_value = DatumGetAttainmentP(x);
	Attainment *y_value = DatumGetAttainmentP(y);
	int			result = attainment_cmp_internal(x_value, y_value);

	if ((Pointer) x_value != DatumGetPointer(x))
		pfree(x_value);
	if ((Pointer) y_value != DatumGetPointer(y))
		pfree(y_value);
	return result;
}

/* Compares the two attainment arguments of a comparison function. */
static int
attainment_compare_args(FunctionCallInfo fcinfo)
{
	return attainment_sort_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), NULL);
}

/*
 * Adds an actual and a target (numerics with either varlena header) to a
 * running sum (NULL for none yet) and returns the new sum.  Called by an
 * aggregate, the running sum is its state: the new sums are written into it
 * when they fit its room, else into a new state with room, which the
 * executor copies into the aggregate's memory context (so it is made in the
 * current, per-row context).  Called as a plain function, it returns a new
 * canonical value and modifies nothing.
 */
static Datum
attainment_accumulate(FunctionCallInfo fcinfo, Attainment *sum,
					  const struct varlena *actual, const struct varlena *target)
{
	NumericBuffer actual_buffer;
	NumericBuffer target_buffer;
	Numeric		actual_sum;
	Numeric		target_sum;

	if (sum != NULL &&
		numeric_form_short_add((struct varlena *) ATTAINMENT_ACTUAL(sum), actual, &actual_buffer) &&
		numeric_form_short_add((struct varlena *) ATTAINMENT_TARGET(sum), target, &target_buffer))
	{
		actual_sum = (Numeric) actual_buffer.bytes;
		target_sum = (Numeric) target_buffer.bytes;
	}
	else
	{
		actual_sum = unpacked_numeric(actual);
		target_sum = unpacked_numeric(target);
		if (sum != NULL)
		{
			actual_sum = numeric_add_opt_error(ATTAINMENT_ACTUAL(sum), actual_sum, NULL);
			target_sum = numeric_add_opt_error(ATTAINMENT_TARGET(sum), target_sum, NULL);
		}
	}
	if (!AggCheckCallContext(fcinfo, NULL))
		PG_RETURN_ATTAINMENT_P(attainment_pack(actual_sum, target_sum));

	if (sum != NULL &&
		VARSIZE(actual_sum) <= ATTAINMENT_ACTUAL_ROOM(sum) &&
		VARSIZE(target_sum) <= ATTAINMENT_TARGET_ROOM(sum))
	{
		memcpy(ATTAINMENT_ACTUAL(sum), actual_sum, VARSIZE(actual_sum));
		memcpy(ATTAINMENT_TARGET(sum), target_sum, VARSIZE(target_sum));
		PG_RETURN_ATTAINMENT_P(sum);
	}
	PG_RETURN_ATTAINMENT_P(attainment_build(actual_sum, target_sum, ATTAINMENT_STATE_ROOM));
}

/* Whether the text at p starts with the word "of", in any case. */
static bool
at_of(const char *p)
{
	return pg_strncasecmp(p, "of", 2) == 0;
}

/*
 * Reads "<actual> of <target>" into *actual and *target; returns NULL, or an
 * errdetail saying what is wrong with the text.
 */
static char *
attainment_text_read(const char *str, AmountText *actual, AmountText *target)
{
	const char *p = skip_blanks(str);
	char	   *problem;

	if (*p == '\0')
		return pstrdup("The text is empty or blank.");
	if (at_of(p))
		return pstrdup("The actual before \"of\" is missing.");
	problem = amount_text_read(&p, "actual", actual);
	if (problem != NULL)
		return problem;

	p = skip_blanks(p);
	if (*p == '\0')
		return pstrdup("The actual must be followed by \"of\" and a target.");
	if (!at_of(p))
		return psprintf("The actual is followed by \"%.*s\" where \"of\" should be.",
						pg_mblen(p), p);

	p = skip_blanks(p + 2);
	if (*p == '\0')
		return pstrdup("The target after \"of\" is missing.");
	problem = amount_text_read(&p, "target", target);
	if (problem != NULL)
		return problem;

	p = skip_blanks(p);
	if (*p != '\0')
		return psprintf("The target is followed by unexpected text \"%s\".", p);
	return NULL;
}

/*
 * The ratio of a value with a target as a fraction in lowest terms: the
 * actual and the target divided by their greatest common divisor.  Equal
 * ratios give equal (numerator, denominator) pairs of integers.
 */
static void
reduced_fraction(Attainment *value, Numeric *numerator, Numeric *denominator)
{
	Datum		actual = NumericGetDatum(ATTAINMENT_ACTUAL(value));
	Datum		target = NumericGetDatum(ATTAINMENT_TARGET(value));
	Datum		divisor = DirectFunctionCall2(numeric_gcd, actual, target);

	*numerator = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc, actual, divisor));
	*denominator = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc, target, divisor));
}

#if SIZEOF_DATUM == 8

/*
 * Sort support: the abbreviated key of a value, a signed 64-bit integer that
 * never decreases as the ratio grows: floor(actual · 2^32 / target), at most
 * PG_INT64_MAX (ratios of 2^31 and more share it), and PG_INT64_MIN for
 * values without a target.  Computed exactly, in 64-bit integers when the
 * actual is small enough, else in numeric arithmetic; values with equal keys
 * are told apart by attainment_sort_cmp.
 */
static Datum
attainment_abbrev_convert(Datum original, SortSupport ssup)
{
	Attainment *value = DatumGetAttainmentP(original);
	Numeric		amounts[2] = {ATTAINMENT_ACTUAL(value), ATTAINMENT_TARGET(value)};
	int64		integers[2];
	int64		key;

	if (exact_is_zero(amounts[1]))
		key = PG_INT64_MIN;
	else if (numeric_form_as_integers(amounts, 2, integers) && integers[0] <= PG_INT32_MAX)
		key = (integers[0] << 32) / integers[1];
	else
	{
		Numeric		scaled = numeric_mul_opt_error(amounts[0],
												   exact_constant(&two_to_the_32, "4294967296"),
												   NULL);
		Numeric		quotient = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
																   NumericGetDatum(scaled),
																   NumericGetDatum(amounts[1])));

		if (exact_cmp(quotient, exact_constant(&int64_max_numeric,
											   "9223372036854775807")) >= 0)
			key = PG_INT64_MAX;
		else
			key = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(quotient)));
		pfree(scaled);
		pfree(quotient);
	}
	if ((Pointer) value != DatumGetPointer(original))
		pfree(value);
	return Int64GetDatum(key);
}

/*
 * Sort support: never gives up on abbreviation.  Making a key costs about as
 * much as one full comparison, and a sort makes about log2(n) comparisons per
 * value, so even when every key is equal the keys add little.
 */
static bool
attainment_abbrev_abort(int memtupcount, SortSupport ssup)
{
	return false;
}

#endif							/* SIZEOF_DATUM == 8 */

/* Text input: reads "<actual> of <target>", such as 150 of 120. */
PG_FUNCTION_INFO_V1(attainment_in);
Datum
attainment_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	AmountText	actual;
	AmountText	target;
	char	   *problem = attainment_text_read(str, &actual, &target);

	if (problem != NULL)
		input_error(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "attainment", str),
					 errdetail("%s", problem),
					 errhint(ATTAINMENT_SYNTAX_HINT)));

	PG_RETURN_ATTAINMENT_P(attainment_pack(exact_from_cstring(actual.written),
										   exact_from_cstring(target.written)));
}

/* Text output: the canonical "<actual> of <target>", such as 12.5 of 10. */
PG_FUNCTION_INFO_V1(attainment_out);
Datum
attainment_out(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_CSTRING(psprintf("%s of %s",
							   exact_text(ATTAINMENT_ACTUAL(value)),
							   exact_text(ATTAINMENT_TARGET(value))));
}

/* Binary input: format version, then the actual and the target as numeric_send writes them. */
PG_FUNCTION_INFO_V1(attainment_recv);
Datum
attainment_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	Numeric		actual;
	Numeric		target;

	version = header_byte_recv(buf, "attainment", "format version");
	if (version != ATTAINMENT_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type attainment", version),
				 errdetail("Only version %d is known.", ATTAINMENT_BINARY_VERSION)));
	actual = amount_recv(buf, "attainment", "actual", amount_problem);
	target = amount_recv(buf, "attainment", "target", amount_problem);
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unexpected data after external attainment value"),
				 errdetail_plural("%d byte follows the target.",
								  "%d bytes follow the target.",
								  buf->len - buf->cursor,
								  buf->len - buf->cursor)));

	PG_RETURN_ATTAINMENT_P(attainment_pack(actual, target));
}

/* Binary output: format version, then the actual and the target as numeric_send writes them. */
PG_FUNCTION_INFO_V1(attainment_send);
Datum
attainment_send(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ATTAINMENT_BINARY_VERSION);
	amount_send(&buf, ATTAINMENT_ACTUAL(value));
	amount_send(&buf, ATTAINMENT_TARGET(value));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* quota.attainment(actual, target): builds a value from two finite numbers, zero or greater. */
PG_FUNCTION_INFO_V1(attainment_make);
Datum
attainment_make(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	Numeric		target = PG_GETARG_NUMERIC(1);

	check_amount((struct varlena *) actual, "actual");
	check_amount((struct varlena *) target, "target");
	PG_RETURN_ATTAINMENT_P(attainment_pack(actual, target));
}

/* The actual of a value. */
PG_FUNCTION_INFO_V1(attainment_actual);
Datum
attainment_actual(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(exact_copy(ATTAINMENT_ACTUAL(PG_GETARG_ATTAINMENT_P(0))));
}

/* The target of a value. */
PG_FUNCTION_INFO_V1(attainment_target);
Datum
attainment_target(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(exact_copy(ATTAINMENT_TARGET(PG_GETARG_ATTAINMENT_P(0))));
}

/* The ratio actual / target, at least 20 fractional digits then trimmed; NULL without a target. */
PG_FUNCTION_INFO_V1(attainment_ratio);
Datum
attainment_ratio(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);

	if (exact_is_zero(ATTAINMENT_TARGET(value)))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(exact_quotient(ATTAINMENT_ACTUAL(value), ATTAINMENT_TARGET(value)));
}

/* The shortfall: max(target - actual, 0). */
PG_FUNCTION_INFO_V1(attainment_shortfall);
Datum
attainment_shortfall(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_NUMERIC(exact_excess(ATTAINMENT_TARGET(value), ATTAINMENT_ACTUAL(value)));
}

/* The surplus: max(actual - target, 0). */
PG_FUNCTION_INFO_V1(attainment_surplus);
Datum
attainment_surplus(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_NUMERIC(exact_excess(ATTAINMENT_ACTUAL(value), ATTAINMENT_TARGET(value)));
}

/* Whether the quota is met: actual >= target. */
PG_FUNCTION_INFO_V1(attainment_met);
Datum
attainment_met(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_BOOL(exact_cmp(ATTAINMENT_ACTUAL(value), ATTAINMENT_TARGET(value)) >= 0);
}

/*
 * The + operator, which adds actuals and targets; also the transition
 * function of quota.sum and the combine function of quota.sum and
 * quota.attain, which update their running sum in place.  Strict: the
 * executor starts the running sum with a copy of the first value and skips
 * NULLs, as sum does.
 */
PG_FUNCTION_INFO_V1(attainment_add);
Datum
attainment_add(PG_FUNCTION_ARGS)
{
	Attainment *addend = PG_GETARG_ATTAINMENT_P(1);

	return attainment_accumulate(fcinfo, PG_GETARG_ATTAINMENT_P(0),
								 (struct varlena *) ATTAINMENT_ACTUAL(addend),
								 (struct varlena *) ATTAINMENT_TARGET(addend));
}

/*
 * Transition function of quota.attain(actual, target).  Not strict: there is
 * no initial running sum (so that no rows give NULL), and the first row with
 * both amounts starts it; rows with a NULL amount are skipped, as sum does.
 */
PG_FUNCTION_INFO_V1(attainment_attain_transition);
Datum
attainment_attain_transition(PG_FUNCTION_ARGS)
{
	Attainment *sum = PG_ARGISNULL(0) ? NULL : PG_GETARG_ATTAINMENT_P(0);
	struct varlena *actual;
	struct varlena *target;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (sum == NULL)
			PG_RETURN_NULL();
		PG_RETURN_ATTAINMENT_P(sum);
	}
	/* Read where they lie, without copying short-header values. */
	actual = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	target = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2));
	check_amount(actual, "actual");
	check_amount(target, "target");
	return attainment_accumulate(fcinfo, sum, actual, target);
}

/* Final function of quota.attain and quota.sum: the running sum as a canonical value. */
PG_FUNCTION_INFO_V1(attainment_final);
Datum
attainment_final(PG_FUNCTION_ARGS)
{
	Attainment *sum = PG_GETARG_ATTAINMENT_P(0);

	PG_RETURN_ATTAINMENT_P(attainment_pack(ATTAINMENT_ACTUAL(sum), ATTAINMENT_TARGET(sum)));
}

/* The < operator. */
PG_FUNCTION_INFO_V1(attainment_lt);
Datum
attainment_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) < 0);
}

/* The <= operator. */
PG_FUNCTION_INFO_V1(attainment_le);
Datum
attainment_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) <= 0);
}

/* The = operator. */
PG_FUNCTION_INFO_V1(attainment_eq);
Datum
attainment_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) == 0);
}

/* The <> operator. */
PG_FUNCTION_INFO_V1(attainment_ne);
Datum
attainment_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) != 0);
}

/* The >= operator. */
PG_FUNCTION_INFO_V1(attainment_ge);
Datum
attainment_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) >= 0);
}

/* The > operator. */
PG_FUNCTION_INFO_V1(attainment_gt);
Datum
attainment_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_compare_args(fcinfo) > 0);
}

/* Btree support: negative, zero or positive as the first ratio is lower than, equal to or higher than the second. */
PG_FUNCTION_INFO_V1(attainment_cmp);
Datum
attainment_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(attainment_compare_args(fcinfo));
}

/* Btree support: sort support, with abbreviated keys where a Datum has 64 bits. */
PG_FUNCTION_INFO_V1(attainment_sortsupport);
Datum
attainment_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = attainment_sort_cmp;
#if SIZEOF_DATUM == 8
	if (ssup->abbreviate)
	{
		ssup->abbrev_converter = attainment_abbrev_convert;
		ssup->abbrev_abort = attainment_abbrev_abort;
		ssup->abbrev_full_comparator = attainment_sort_cmp;
		ssup->comparator = ssup_datum_signed_cmp;
	}
#endif
	PG_RETURN_VOID();
}

/*
 * Hash support: hashes the ratio in lowest terms, mixing the numerator's and
 * the denominator's hashes the way record hashing does (h * 31 + next), so
 * that the low 32 bits of attainment_hash_extended with seed 0 equal this
 * hash.  Every value without a target hashes alike.
 */
PG_FUNCTION_INFO_V1(attainment_hash);
Datum
attainment_hash(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);
	Numeric		numerator;
	Numeric		denominator;
	uint32		numerator_hash;
	uint32		denominator_hash;

	if (exact_is_zero(ATTAINMENT_TARGET(value)))
		return hash_uint32(0);
	reduced_fraction(value, &numerator, &denominator);
	numerator_hash = DatumGetUInt32(DirectFunctionCall1(hash_numeric, NumericGetDatum(numerator)));
	denominator_hash = DatumGetUInt32(DirectFunctionCall1(hash_numeric, NumericGetDatum(denominator)));
	PG_RETURN_UINT32(numerator_hash * 31 + denominator_hash);
}

/* Extended hash support: the 64-bit, seeded form of attainment_hash. */
PG_FUNCTION_INFO_V1(attainment_hash_extended);
Datum
attainment_hash_extended(PG_FUNCTION_ARGS)
{
	Attainment *value = PG_GETARG_ATTAINMENT_P(0);
	Datum		seed = PG_GETARG_DATUM(1);
	Numeric		numerator;
	Numeric		denominator;
	uint64		numerator_hash;
	uint64		denominator_hash;

	if (exact_is_zero(ATTAINMENT_TARGET(value)))
		return hash_uint32_extended(0, DatumGetUInt64(seed));
	reduced_fraction(value, &numerator, &denominator);
	numerator_hash = DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
														NumericGetDatum(numerator), seed));
	denominator_hash = DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
														  NumericGetDatum(denominator), seed));
	PG_RETURN_UINT64(numerator_hash * 31 + denominator_hash);
}
