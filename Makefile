# quota_ext: built with PGXS.  `make installcheck` runs the pg_regress suite
# (sql/, expected/) and the isolation specs (test/isolation/).
EXTENSION = quota_ext
MODULE_big = quota_ext
OBJS = src/quota_ext.o src/amount.o src/quota.o src/period.o src/live_totals.o src/attainment.o
DATA = sql/quota_ext--0.1.sql

REGRESS = setup quota_type period target_for progress attainment analytics payout roles security
REGRESS_OPTS = --inputdir=.
ISOLATION = $(basename $(notdir $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=test/isolation/output

EXTRA_CLEAN = test/isolation/output

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# During development the install script is assembled from sql/install/.
sql/quota_ext--0.1.sql: $(sort $(wildcard sql/install/*.sql))
	cat $^ > $@
all: sql/quota_ext--0.1.sql
