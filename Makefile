# quota_ext: built with PGXS.  `make installcheck` runs the pg_regress suite
# (sql/, expected/) and the isolation specs (test/isolation/).
EXTENSION = quota_ext
MODULE_big = quota_ext
OBJS = src/quota_ext.o src/exact.o src/numeric_form.o src/amount.o src/quota.o src/period.o src/proration.o src/live_totals.o src/history.o src/trigger.o src/attainment.o
DATA = sql/quota_ext--0.1.sql sql/quota_ext--0.1--0.2.sql

REGRESS = setup quota_type period target_for progress attainment numeric_form analytics payout plans split_credit roles security bad_input
REGRESS_OPTS = --inputdir=.
ISOLATION = $(basename $(notdir $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=test/isolation/output

EXTRA_CLEAN = test/isolation/output

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Longer checks: a long sqlsmith run, and the suites under AddressSanitizer
# and UndefinedBehaviorSanitizer (CI runs the latter).
fuzz:
	FUZZ_QUERIES=100000 test/fuzz/run
sanitize:
	QUOTA_SANITIZE=1 test/sanitize/run
.PHONY: fuzz sanitize
