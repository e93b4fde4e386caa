/*
 * numeric_form.c
 *	  Works on the stored form of numeric values (numeric_form.h): small
 *	  values as integers in a common unit, for comparisons without
 *	  allocating, and the sum of two short non-negative values written
 *	  straight into a local buffer, as numeric_add would write it.
 *	  sql/numeric_form.sql checks these sums against numeric_add.
 */
#include "postgres.h"

#include "numeric_form.h"
#include "quota_ext.h"

/* Digit i of a numeric read by numeric_form_read. */
static int
numeric_form_digit(const NumericParts *parts, int i)
{
	int16		digit;

	memcpy(&digit, parts->digits + i * sizeof(int16), sizeof(digit));
	return digit;
}

/*
 * Writes finite non-negative numerics as integers in a common unit, a power
 * of 10000 (so that they keep their order and ratios): each must span at
 * most four base-10000 digits from its first digit down to the lowest digit
 * of any of them, which keeps it below 10^16.  Returns false when one does
 * not.
 */
bool
numeric_form_as_integers(const Numeric *numbers, int count, int64 *integers)
{
	NumericParts parts[4];
	int			unit = PG_INT32_MAX;	/* weight of the lowest digit of any */
	int			n;
	int			i;

	Assert(count <= (int) lengthof(parts));
	for (n = 0; n < count; n++)
	{
		if (!numeric_form_read((struct varlena *) numbers[n], &parts[n]))
			return false;
		if (parts[n].ndigits > 0)
			unit = Min(unit, parts[n].weight - parts[n].ndigits + 1);
	}
	for (n = 0; n < count; n++)
	{
		integers[n] = 0;
		if (parts[n].ndigits == 0)
			continue;
		if (parts[n].weight - unit + 1 > 4)
			return false;
		for (i = 0; i < parts[n].ndigits; i++)
			integers[n] = integers[n] * NUMERIC_DIGIT_BASE + numeric_form_digit(&parts[n], i);
		for (i = parts[n].weight - parts[n].ndigits + 1; i > unit; i--)
			integers[n] *= NUMERIC_DIGIT_BASE;
	}
	return true;
}

/*
 * Adds two numerics (either varlena header) into a local buffer, exactly as
 * numeric_add would: display scale the larger of the two, no leading or
 * trailing zero digits.  Handles only non-negative numbers in the short form
 * whose sum is in the short form and fits the buffer; returns false for
 * others, which are left to numeric_add.
 */
bool
numeric_form_short_add(const struct varlena *x, const struct varlena *y, NumericBuffer *sum)
{
	NumericParts terms[2];
	int32		digits[SHORT_SUM_MAX_DIGITS + 1];	/* [0] takes a carry */
	int			top = PG_INT32_MIN; /* weight of the highest digit of either */
	int			bottom = PG_INT32_MAX;	/* weight of the lowest digit of either */
	int			first = 0;
	int			ndigits = 0;
	int			weight = 0;
	int			t;
	int			i;
	uint16		header;
	int16	   *sum_digits;

	if (!numeric_form_read(x, &terms[0]) || !numeric_form_read(y, &terms[1]))
		return false;
	for (t = 0; t < 2; t++)
	{
		if (!terms[t].is_short || terms[t].negative)
			return false;
		if (terms[t].ndigits > 0)
		{
			top = Max(top, terms[t].weight);
			bottom = Min(bottom, terms[t].weight - terms[t].ndigits + 1);
		}
	}

	if (top >= bottom)
	{
		/* digits[j] holds the digit of weight top + 1 - j. */
		int			width = top - bottom + 2;
		int			last = width - 1;

		if (width > (int) lengthof(digits))
			return false;
		memset(digits, 0, width * sizeof(int32));
		for (t = 0; t < 2; t++)
			for (i = 0; i < terms[t].ndigits; i++)
				digits[top + 1 - terms[t].weight + i] += numeric_form_digit(&terms[t], i);
		for (i = width - 1; i > 0; i--)
		{
			if (digits[i] >= NUMERIC_DIGIT_BASE)
			{
				digits[i] -= NUMERIC_DIGIT_BASE;
				digits[i - 1]++;
			}
		}
		while (first < width && digits[first] == 0)
			first++;
		while (last >= first && digits[last] == 0)
			last--;
		ndigits = last - first + 1;
		if (ndigits > SHORT_SUM_MAX_DIGITS)
			return false;
		/* Never below the terms' weights, so never below the short form's least. */
		if (ndigits > 0)
			weight = top + 1 - first;
		if (weight > NUMERIC_SHORT_WEIGHT_MAX)
			return false;
	}

	header = NUMERIC_FORM_SHORT |
		(Max(terms[0].dscale, terms[1].dscale) << NUMERIC_SHORT_DSCALE_SHIFT) |
		(weight & NUMERIC_SHORT_WEIGHT_BITS);
	SET_VARSIZE(sum->bytes, VARHDRSZ + sizeof(header) + ndigits * sizeof(int16));
	memcpy(VARDATA(sum->bytes), &header, sizeof(header));
	sum_digits = (int16 *) (VARDATA(sum->bytes) + sizeof(header));
	for (i = 0; i < ndigits; i++)
		sum_digits[i] = (int16) digits[first + i];
	return true;
}
