/*
 * numeric_form.h
 *	  The stored form of numeric values, read in place (inline, for the
 *	  comparisons and aggregates that call it on every value), and the
 *	  arithmetic on it of numeric_form.c.
 */
#ifndef NUMERIC_FORM_H
#define NUMERIC_FORM_H

#include "utils/numeric.h"

/*
 * The stored form of a numeric, as numeric.c writes it; an on-disk format
 * that pg_upgrade carries over, so it does not change.  After the varlena
 * header comes a 16-bit header word whose two top bits give the form: 10
 * short, 00 long and positive, 01 long and negative, 11 special (NaN and the
 * infinities).  Short: bit 13 the sign, bits 7-12 the display scale, bits
 * 0-6 the weight (two's complement, -64 to 63), then the digits.  Long: bits
 * 0-13 the display scale, then a 16-bit weight, then the digits.  Digits are
 * int16 in base 10000, most significant first, without leading or trailing
 * zero digits (zero has none); the weight is the power of 10000 of the first
 * digit.  numeric.c uses the short form whenever the scale and the weight
 * fit in it.  The aggregates of attainment.c read and write this form to
 * add without allocating; its comparisons and abbreviated keys read it to
 * work in integers when the amounts are small, and tests for zero and sign
 * (exact.c, attainment.c) read it.  All other arithmetic goes through
 * numeric's own functions (exact.c).
 */
#define NUMERIC_FORM_MASK 0xC000
#define NUMERIC_FORM_SHORT 0x8000
#define NUMERIC_FORM_NEGATIVE 0x4000
#define NUMERIC_FORM_SPECIAL 0xC000
#define NUMERIC_SHORT_NEGATIVE 0x2000
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_DSCALE_MAX 63
#define NUMERIC_SHORT_WEIGHT_BITS 0x7F
#define NUMERIC_SHORT_WEIGHT_MAX 63
#define NUMERIC_LONG_DSCALE_MASK 0x3FFF
#define NUMERIC_DIGIT_BASE 10000

/* A finite numeric as its stored form gives it. */
typedef struct NumericParts
{
	bool		is_short;		/* in the short form */
	bool		negative;
	int			weight;			/* power of 10000 of the first digit */
	int			dscale;			/* display scale: decimal digits after the point */
	int			ndigits;
	const char *digits;			/* ndigits int16, perhaps not aligned */
} NumericParts;

/* Most digits of a sum that the aggregates add without numeric_add. */
#define SHORT_SUM_MAX_DIGITS 24

/* A numeric varlena in local memory, as large as such a sum can be. */
typedef union NumericBuffer
{
	int32		align;
	char		bytes[VARHDRSZ + sizeof(uint16) + SHORT_SUM_MAX_DIGITS * sizeof(int16)];
} NumericBuffer;

/*
 * Reads the stored form of a numeric with either varlena header; false for
 * NaN and the infinities.
 */
static inline bool
numeric_form_read(const struct varlena *num, NumericParts *parts)
{
	const char *data = VARDATA_ANY(num);
	const char *end = data + VARSIZE_ANY_EXHDR(num);
	uint16		header;
	int16		long_weight;

	memcpy(&header, data, sizeof(header));
	switch (header & NUMERIC_FORM_MASK)
	{
		case NUMERIC_FORM_SPECIAL:
			return false;
		case NUMERIC_FORM_SHORT:
			parts->is_short = true;
			parts->negative = (header & NUMERIC_SHORT_NEGATIVE) != 0;
			parts->dscale = (header >> NUMERIC_SHORT_DSCALE_SHIFT) & NUMERIC_SHORT_DSCALE_MAX;
			parts->weight = header & NUMERIC_SHORT_WEIGHT_BITS;
			if (parts->weight > NUMERIC_SHORT_WEIGHT_MAX)
				parts->weight -= NUMERIC_SHORT_WEIGHT_BITS + 1;
			parts->digits = data + sizeof(header);
			break;
		default:
			memcpy(&long_weight, data + sizeof(header), sizeof(long_weight));
			parts->is_short = false;
			parts->negative = (header & NUMERIC_FORM_MASK) == NUMERIC_FORM_NEGATIVE;
			parts->dscale = header & NUMERIC_LONG_DSCALE_MASK;
			parts->weight = long_weight;
			parts->digits = data + sizeof(header) + sizeof(long_weight);
			break;
	}
	parts->ndigits = (end - parts->digits) / sizeof(int16);
	return true;
}

/* numeric_form.c */
extern bool numeric_form_as_integers(const Numeric *numbers, int count, int64 *integers);
extern bool numeric_form_short_add(const struct varlena *x, const struct varlena *y,
								   NumericBuffer *sum);

#endif							/* NUMERIC_FORM_H */
