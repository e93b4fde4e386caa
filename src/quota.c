/*
 * quota.c
 *	  The quota type: a target amount per period unit, written amount/unit
 *	  (150/month).  Text and binary I/O, comparison, hashing, accessors and
 *	  scaling.
 */
#include "postgres.h"

#include <ctype.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "quota_ext.h"

/* First byte of the binary form; quota_recv refuses any other. */
#define QUOTA_BINARY_VERSION 1

#define QUOTA_SYNTAX_HINT \
	"A quota is written amount/unit, such as 150/month; valid units are " \
	PERIOD_UNIT_LIST "."

#define QUOTA_LIMITS_HINT \
	"A quota amount has at most " CppAsString2(QUOTA_MAX_INTEGER_DIGITS) \
	" digits before the decimal point and " CppAsString2(QUOTA_MAX_SCALE) \
	" after it."

/* The parts of a quota's text form, as quota_text_read finds them. */
typedef struct QuotaText
{
	AmountText	amount;
	PeriodUnit	unit;
} QuotaText;

/*
 * Reads "<amount>/<unit>" into *parsed; returns NULL, or an errdetail saying
 * what is wrong with the text.  The number of integer digits is left to the
 * caller to check, since too many of them is a range error, not bad syntax.
 */
static char *
quota_text_read(const char *str, QuotaText *parsed)
{
	const char *p = skip_blanks(str);
	const char *unit_start;
	char	   *unit_name;
	char	   *problem;

	if (*p == '\0')
		return pstrdup("The text is empty or blank.");
	if (*p == '/')
		return pstrdup("The amount before the slash is missing.");
	problem = amount_text_read(&p, "amount", &parsed->amount);
	if (problem != NULL)
		return problem;

	p = skip_blanks(p);
	if (*p == '\0')
		return pstrdup("The amount must be followed by a slash and a unit.");
	if (*p != '/')
		return psprintf("The amount is followed by \"%.*s\" where a slash should be.",
						pg_mblen(p), p);

	p = skip_blanks(p + 1);
	unit_start = p;
	while (*p != '\0' && *p != '/' && !isspace((unsigned char) *p))
		p++;
	if (p == unit_start)
		return pstrdup("The unit after the slash is missing.");
	unit_name = pnstrdup(unit_start, p - unit_start);
	if (!period_unit_lookup(unit_name, strlen(unit_name), &parsed->unit))
		return psprintf("\"%s\" is not a period unit.", unit_name);

	p = skip_blanks(p);
	if (*p != '\0')
		return psprintf("The unit is followed by unexpected text \"%s\".", p);
	if (parsed->amount.fraction_digits > QUOTA_MAX_SCALE)
		return psprintf("The amount has more than %d digits after the decimal point.",
						QUOTA_MAX_SCALE);
	return NULL;
}

/* Packs a unit and a valid amount, trimmed of trailing fractional zeros, into a new quota. */
static Quota *
quota_pack(PeriodUnit unit, Numeric amount)
{
	Numeric		trimmed = exact_trimmed(amount);
	Size		size = sizeof(Quota) + VARSIZE(trimmed);
	Quota	   *quota = (Quota *) palloc0(size);

	SET_VARSIZE(quota, size);
	quota->unit = (uint8) unit;
	memcpy(QUOTA_AMOUNT(quota), trimmed, VARSIZE(trimmed));
	pfree(trimmed);
	return quota;
}

/* Builds a quota from a unit and an amount, checking the amount against the limits. */
Quota *
quota_make(PeriodUnit unit, Numeric amount)
{
	AmountProblem problem;

	if ((unsigned int) unit >= PERIOD_UNIT_COUNT)
		elog(ERROR, "invalid period unit %d", (int) unit);
	problem = quota_amount_problem(amount);
	if (problem == AMOUNT_TOO_LARGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quota amount is out of range"),
				 errdetail("The amount %s has more than %d digits before the decimal point.",
						   exact_text(amount), QUOTA_MAX_INTEGER_DIGITS),
				 errhint(QUOTA_LIMITS_HINT)));
	if (problem != AMOUNT_FITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid quota amount"),
				 errdetail("%s", amount_problem_detail(problem)),
				 errhint("A quota amount is a finite number, zero or greater, with at most %d digits after the decimal point.",
						 QUOTA_MAX_SCALE)));
	return quota_pack(unit, amount);
}

/* Orders quotas by unit (day first, year last), then by amount. */
static int
quota_cmp_internal(Quota *a, Quota *b)
{
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return exact_cmp(QUOTA_AMOUNT(a), QUOTA_AMOUNT(b));
}

/* Compares the two quota arguments of a comparison function. */
static int
quota_compare_args(FunctionCallInfo fcinfo)
{
	Quota	   *a = PG_GETARG_QUOTA_P(0);
	Quota	   *b = PG_GETARG_QUOTA_P(1);
	int			result = quota_cmp_internal(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return result;
}

/* Scales the amount of a quota by a finite non-negative factor, to 4 places. */
static Quota *
quota_scale(Quota *quota, Numeric factor)
{
	AmountProblem problem = amount_problem(factor);

	if (problem != AMOUNT_FITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid factor for scaling a quota"),
				 errdetail("%s", amount_problem_detail(problem)),
				 errhint("Scale a quota by a finite number that is zero or greater.")));
	return quota_make((PeriodUnit) quota->unit,
					  exact_rounded(exact_times(QUOTA_AMOUNT(quota), factor), QUOTA_MAX_SCALE));
}

/* Text input: reads amount/unit, such as 150/month. */
PG_FUNCTION_INFO_V1(quota_in);
Datum
quota_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	QuotaText	parsed;
	char	   *problem = quota_text_read(str, &parsed);

	if (problem != NULL)
		input_error(fcinfo,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "quota", str),
					 errdetail("%s", problem),
					 errhint(QUOTA_SYNTAX_HINT)));
	if (parsed.amount.integer_digits > QUOTA_MAX_INTEGER_DIGITS)
		input_error(fcinfo,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("quota amount is out of range"),
					 errdetail("The amount in \"%s\" has more than %d digits before the decimal point.",
							   str, QUOTA_MAX_INTEGER_DIGITS),
					 errhint(QUOTA_LIMITS_HINT)));

	PG_RETURN_QUOTA_P(quota_pack(parsed.unit, exact_from_cstring(parsed.amount.written)));
}

/* Text output: the canonical amount/unit, such as 50000.5/quarter. */
PG_FUNCTION_INFO_V1(quota_out);
Datum
quota_out(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);

	PG_RETURN_CSTRING(psprintf("%s/%s",
							   exact_text(QUOTA_AMOUNT(quota)),
							   period_unit_name((PeriodUnit) quota->unit)));
}

/* Binary input: format version, unit byte, then the amount as numeric_send writes it. */
PG_FUNCTION_INFO_V1(quota_recv);
Datum
quota_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = header_byte_recv(buf, "quota", "format version");
	int			unit;
	Numeric		amount;

	if (version != QUOTA_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type quota", version),
				 errdetail("Only version %d is known.", QUOTA_BINARY_VERSION)));
	unit = header_byte_recv(buf, "quota", "unit");
	if (unit >= PERIOD_UNIT_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid period unit %d in external quota value", unit),
				 errdetail("Units are numbered from 0 (day) to %d (year).", PERIOD_YEAR)));
	amount = amount_recv(buf, "quota", "amount", quota_amount_problem);
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unexpected data after external quota value"),
				 errdetail_plural("%d byte follows the amount.",
								  "%d bytes follow the amount.",
								  buf->len - buf->cursor,
								  buf->len - buf->cursor)));

	PG_RETURN_QUOTA_P(quota_pack((PeriodUnit) unit, amount));
}

/* Binary output: format version, unit byte, then the amount as numeric_send writes it. */
PG_FUNCTION_INFO_V1(quota_send);
Datum
quota_send(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, QUOTA_BINARY_VERSION);
	pq_sendbyte(&buf, quota->unit);
	amount_send(&buf, QUOTA_AMOUNT(quota));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The < operator. */
PG_FUNCTION_INFO_V1(quota_lt);
Datum
quota_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) < 0);
}

/* The <= operator. */
PG_FUNCTION_INFO_V1(quota_le);
Datum
quota_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) <= 0);
}

/* The = operator. */
PG_FUNCTION_INFO_V1(quota_eq);
Datum
quota_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) == 0);
}

/* The <> operator. */
PG_FUNCTION_INFO_V1(quota_ne);
Datum
quota_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) != 0);
}

/* The >= operator. */
PG_FUNCTION_INFO_V1(quota_ge);
Datum
quota_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) >= 0);
}

/* The > operator. */
PG_FUNCTION_INFO_V1(quota_gt);
Datum
quota_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quota_compare_args(fcinfo) > 0);
}

/* Btree support: negative, zero or positive as the first quota sorts before, with or after the second. */
PG_FUNCTION_INFO_V1(quota_cmp);
Datum
quota_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(quota_compare_args(fcinfo));
}

/*
 * Hash support: mixes the unit's hash into the amount's the way record
 * hashing does (h * 31 + next), which keeps the low 32 bits of
 * quota_hash_extended with seed 0 equal to this hash.
 */
PG_FUNCTION_INFO_V1(quota_hash);
Datum
quota_hash(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	uint32		unit_hash = DatumGetUInt32(hash_uint32(quota->unit));
	uint32		amount_hash = DatumGetUInt32(DirectFunctionCall1(hash_numeric,
																 NumericGetDatum(QUOTA_AMOUNT(quota))));

	PG_FREE_IF_COPY(quota, 0);
	PG_RETURN_UINT32(unit_hash * 31 + amount_hash);
}

/* Extended hash support: the 64-bit, seeded form of quota_hash. */
PG_FUNCTION_INFO_V1(quota_hash_extended);
Datum
quota_hash_extended(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	Datum		seed = PG_GETARG_DATUM(1);
	uint64		unit_hash = DatumGetUInt64(hash_uint32_extended(quota->unit,
																DatumGetUInt64(seed)));
	uint64		amount_hash = DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
																 NumericGetDatum(QUOTA_AMOUNT(quota)),
																 seed));

	PG_FREE_IF_COPY(quota, 0);
	PG_RETURN_UINT64(unit_hash * 31 + amount_hash);
}

/* The amount of a quota, as a numeric. */
PG_FUNCTION_INFO_V1(quota_amount);
Datum
quota_amount(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);
	Numeric		copy = exact_copy(QUOTA_AMOUNT(quota));

	PG_FREE_IF_COPY(quota, 0);
	PG_RETURN_NUMERIC(copy);
}

/* The period unit of a quota, by name. */
PG_FUNCTION_INFO_V1(quota_unit);
Datum
quota_unit(PG_FUNCTION_ARGS)
{
	Quota	   *quota = PG_GETARG_QUOTA_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(period_unit_name((PeriodUnit) quota->unit)));
}

/* The quota * numeric operator: scales the amount. */
PG_FUNCTION_INFO_V1(quota_mul_numeric);
Datum
quota_mul_numeric(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUOTA_P(quota_scale(PG_GETARG_QUOTA_P(0), PG_GETARG_NUMERIC(1)));
}

/* The numeric * quota operator: scales the amount. */
PG_FUNCTION_INFO_V1(numeric_mul_quota);
Datum
numeric_mul_quota(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUOTA_P(quota_scale(PG_GETARG_QUOTA_P(1), PG_GETARG_NUMERIC(0)));
}
