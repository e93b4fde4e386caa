/*
 * amount.c
 *	  Amounts, the non-negative exact numbers of the quota and attainment
 *	  types: reading one from text, finding what keeps a number from being
 *	  one, sending and receiving one (and the header byte before it) in
 *	  binary form.  Arithmetic on them is in exact.c.
 */
#include "postgres.h"

#include <ctype.h>

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/fmgrprotos.h"

#include "quota_ext.h"

static const char *const amount_problem_details[] = {
	[AMOUNT_FITS] = NULL,
	[AMOUNT_NAN] = "The value is NaN (not a number).",
	[AMOUNT_INFINITE] = "The value is infinite.",
	[AMOUNT_NEGATIVE] = "The value is negative.",
	[AMOUNT_TOO_LARGE] = "The value has more than " CppAsString2(QUOTA_MAX_INTEGER_DIGITS)
	" digits before the decimal point.",
	[AMOUNT_TOO_PRECISE] = "The value has more than " CppAsString2(QUOTA_MAX_SCALE)
	" digits after the decimal point."
};

/* The least amount too large for a quota, made once per backend by exact_constant. */
static Numeric quota_amount_bound;

/* Returns the first character at or after p that is not a blank. */
const char *
skip_blanks(const char *p)
{
	while (isspace((unsigned char) *p))
		p++;
	return p;
}

/*
 * Reads an amount (digits, optionally a point and more digits) at *p into
 * *amount and moves *p past it; returns NULL, or an errdetail saying what is
 * wrong.  The role ("amount", "actual", "target") names the amount.  Limits
 * on the digits are left to the caller.
 */
char *
amount_text_read(const char **p, const char *role, AmountText *amount)
{
	const char *start = *p;
	const char *q = start;

	if (*q == '-' || *q == '+')
		return psprintf("The %s must be written without a sign, and it cannot be negative.", role);
	if (pg_strncasecmp(q, "nan", 3) == 0 || pg_strncasecmp(q, "inf", 3) == 0)
		return psprintf("The %s must be a finite number, written in digits.", role);
	if (!isdigit((unsigned char) *q))
		return psprintf("The %s must start with a digit, not \"%.*s\".", role, pg_mblen(q), q);

	while (*q == '0')
		q++;
	amount->integer_digits = 0;
	while (isdigit((unsigned char) *q))
	{
		amount->integer_digits++;
		q++;
	}
	amount->fraction_digits = 0;
	if (*q == '.')
	{
		const char *fraction_start = ++q;

		/* Trailing zeros are not counted: they are trimmed away. */
		while (isdigit((unsigned char) *q))
		{
			if (*q != '0')
				amount->fraction_digits = q - fraction_start + 1;
			q++;
		}
		if (q == fraction_start)
			return psprintf("The decimal point in the %s must be followed by a digit.", role);
	}
	if (*q == '.')
		return psprintf("The %s has more than one decimal point.", role);
	if (*q == 'e' || *q == 'E')
		return psprintf("The %s must be written in plain digits, without an exponent.", role);

	amount->written = pnstrdup(start, q - start);
	*p = q;
	return NULL;
}

/* Finds why a number is not finite and non-negative; AMOUNT_FITS when it is. */
AmountProblem
amount_problem(Numeric num)
{
	if (numeric_is_nan(num))
		return AMOUNT_NAN;
	if (numeric_is_inf(num))
		return AMOUNT_INFINITE;
	if (exact_cmp(num, exact_zero()) < 0)
		return AMOUNT_NEGATIVE;
	return AMOUNT_FITS;
}

/* Finds what keeps a number from being a quota amount; AMOUNT_FITS if nothing. */
AmountProblem
quota_amount_problem(Numeric num)
{
	AmountProblem problem = amount_problem(num);

	if (problem != AMOUNT_FITS)
		return problem;
	if (exact_cmp(num, exact_constant(&quota_amount_bound,
									   "1e" CppAsString2(QUOTA_MAX_INTEGER_DIGITS))) >= 0)
		return AMOUNT_TOO_LARGE;
	if (DatumGetInt32(DirectFunctionCall1(numeric_min_scale,
										  NumericGetDatum(num))) > QUOTA_MAX_SCALE)
		return AMOUNT_TOO_PRECISE;
	return AMOUNT_FITS;
}

/* The errdetail that describes a problem found by amount_problem or quota_amount_problem. */
const char *
amount_problem_detail(AmountProblem problem)
{
	Assert(problem > AMOUNT_FITS && problem <= AMOUNT_TOO_PRECISE);
	return amount_problem_details[problem];
}

/*
 * Reads a numeric as numeric_send writes it (digit count, weight, sign and
 * display scale as 16-bit integers, then the digits), checking that all of
 * it is there and that problem_of finds nothing wrong with it.  The errors
 * name the role of the amount in an external value of type type_name.
 */
Numeric
amount_recv(StringInfo buf, const char *type_name, const char *role,
			AmountProblem (*problem_of) (Numeric num))
{
	int			remaining = buf->len - buf->cursor;
	int			ndigits = 0;
	uint16		ndigits_sent;
	Numeric		amount;
	AmountProblem problem;

	if (remaining >= (int) sizeof(ndigits_sent))
	{
		memcpy(&ndigits_sent, buf->data + buf->cursor, sizeof(ndigits_sent));
		ndigits = pg_ntoh16(ndigits_sent);
	}
	if (remaining < (4 + ndigits) * (int) sizeof(int16))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("external %s value ends inside its %s", type_name, role),
				 errdetail_plural("%d byte is left where the %s needs more.",
								  "%d bytes are left where the %s needs more.",
								  remaining, remaining, role)));
	amount = DatumGetNumeric(DirectFunctionCall3(numeric_recv,
												 PointerGetDatum(buf),
												 ObjectIdGetDatum(InvalidOid),
												 Int32GetDatum(-1)));
	problem = problem_of(amount);
	if (problem != AMOUNT_FITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s in external %s value", role, type_name),
				 errdetail("%s", amount_problem_detail(problem))));
	return amount;
}

/* Reads one byte of a value's binary form (its version, its unit). */
int
header_byte_recv(StringInfo buf, const char *type_name, const char *what)
{
	if (buf->cursor >= buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("external %s value ends before its %s", type_name, what),
				 errdetail("Its binary form starts with a format version byte.")));
	return pq_getmsgbyte(buf);
}

/* Appends a numeric to a message as numeric_send writes it. */
void
amount_send(StringInfo buf, Numeric amount)
{
	bytea	   *bytes = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
														NumericGetDatum(amount)));

	pq_sendbytes(buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
}
