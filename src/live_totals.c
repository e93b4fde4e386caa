/*
 * live_totals.c
 */
#include "postgres.h"

#include "quota_ext.h"
