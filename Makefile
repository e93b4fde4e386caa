# quota_ext: built with PGXS.  `make installcheck` runs the pg_regress suite
# (sql/, expected/) and the isolation specs (test/isolation/).
EXTENSION = quota_ext
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'$$/\1/p" $(EXTENSION).control)
MODULE_big = quota_ext
OBJS = src/quota_ext.o src/exact.o src/numeric_form.o src/amount.o src/quota.o src/period.o src/period_filter.o src/proration.o \
	src/trigger.o src/total_rows.o src/live_totals.o src/tracking.o src/tracked_rows.o src/tracking_ddl.o src/history.o src/attainment.o

# The install script of the current version, built from the SQL of each
# concept in this order (each file creates what the later ones use).
# Released scripts, frozen, are in src/update/: the full script of the first
# version and one update script to each later version.
SQL_SOURCES = $(addprefix src/, quota_ext.sql quota.sql attainment.sql period.sql proration.sql \
	model.sql schedule.sql history.sql split_credit.sql live_totals.sql tracking.sql recount.sql restore.sql \
	progress.sql teams.sql scoreboard.sql payout.sql security.sql)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard src/update/$(EXTENSION)--*.sql)

# Every test of sql/, setup first (it creates the extension).
REGRESS = setup $(sort $(filter-out setup, $(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=.
ISOLATION = $(basename $(notdir $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=test/isolation/output

EXTRA_CLEAN = test/isolation/output

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES)
	awk 'FNR == 1 && NR > 1 { print "" } { print }' $^ >$@

# Longer checks: a long sqlsmith run (100,000 queries, 10,000 of them as a
# rep under row-level security), the suites under AddressSanitizer and
# UndefinedBehaviorSanitizer (CI runs them), and a 30-minute soak (not in CI).
fuzz:
	FUZZ_QUERIES=90000 FUZZ_REP_QUERIES=10000 test/fuzz/run
sanitize:
	QUOTA_SANITIZE=1 test/sanitize/run
soak:
	test/soak/run
.PHONY: fuzz sanitize soak

# The archive PGXN takes, quota_ext-<version>.zip, named after the version of
# META.json: what is committed (git archive HEAD), not the work tree.
DIST_VERSION = $(shell sed -n -E 's/^[[:space:]]"version": *"([^"]+)".*/\1/p' META.json)
dist:
	@test -n "$(DIST_VERSION)" || { echo 'make dist: no top-level "version" in META.json' >&2; exit 1; }
	git archive --format zip --prefix=$(EXTENSION)-$(DIST_VERSION)/ -o $(EXTENSION)-$(DIST_VERSION).zip HEAD
.PHONY: dist
