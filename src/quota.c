/*
 * quota.c
 */
#include "postgres.h"

#include "quota_ext.h"
