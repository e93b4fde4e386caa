-- test/dump/objects.sql: prints the objects of extension quota_ext with
-- their definitions, by name (no OIDs), so that an updated installation can
-- be compared with a fresh one.
\set ON_ERROR_STOP on
\pset null '<null>'
SET client_min_messages = warning;
SET search_path = pg_catalog;

CREATE TEMP VIEW member AS
SELECT d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, d.objsubid) AS name
  FROM pg_depend d JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
 WHERE e.extname = 'quota_ext' AND d.deptype = 'e';

\echo == extension
SELECT extname, n.nspname, extrelocatable,
       (SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM unnest(extconfig) c) AS config_tables
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'quota_ext';
SELECT c.oid::regclass::text, cond
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(c, cond)
  JOIN pg_class c ON c.oid = u.c
 WHERE extname = 'quota_ext' ORDER BY 1;
SELECT pg_describe_object(refclassid, refobjid, 0), deptype FROM pg_depend
 WHERE classid = 'pg_extension'::regclass
   AND objid = (SELECT oid FROM pg_extension WHERE extname = 'quota_ext') ORDER BY 1;

\echo == members
SELECT name FROM member ORDER BY 1;

\echo == comments
SELECT m.name, obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid))
  FROM member m ORDER BY 1;
SELECT c.oid::regclass::text, a.attname, col_description(c.oid, a.attnum)
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY 1, 2;

\echo == functions
SELECT m.name, p.prokind, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef, p.proleakproof,
       p.procost, p.prorows, p.proconfig, p.proacl,
       CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) END
  FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
 ORDER BY 1;
SELECT m.name, a.aggkind, a.aggnumdirectargs, a.aggtransfn::text, a.aggfinalfn::text, a.aggcombinefn::text,
       a.aggserialfn::text, a.aggdeserialfn::text, a.aggmtransfn::text, a.aggsortop::regoperator::text,
       format_type(a.aggtranstype, NULL), a.agginitval, a.aggfinalmodify
  FROM member m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
 ORDER BY 1;

\echo == types
SELECT m.name, t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory, t.typispreferred,
       t.typinput::text, t.typoutput::text, t.typreceive::text, t.typsend::text, t.typanalyze::text,
       t.typsubscript::text, t.typdefault, t.typnotnull, format_type(t.typbasetype, t.typtypmod), t.typacl
  FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
 ORDER BY 1;

\echo == operators, classes, families, casts
SELECT m.name, o.oprcode::text, o.oprcom::regoperator::text, o.oprnegate::regoperator::text,
       o.oprrest::text, o.oprjoin::text, o.oprcanmerge, o.oprcanhash
  FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
 ORDER BY 1;
SELECT m.name, c.opcdefault, format_type(c.opcintype, NULL), format_type(c.opckeytype, NULL),
       (SELECT string_agg(format('%s %s', a.amopstrategy, a.amopopr::regoperator), ', ' ORDER BY a.amopstrategy)
          FROM pg_amop a WHERE a.amopfamily = c.opcfamily AND a.amoplefttype = c.opcintype),
       (SELECT string_agg(format('%s %s', p.amprocnum, p.amproc::regprocedure), ', ' ORDER BY p.amprocnum)
          FROM pg_amproc p WHERE p.amprocfamily = c.opcfamily AND p.amproclefttype = c.opcintype)
  FROM member m JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
 ORDER BY 1;
SELECT m.name, c.castfunc::regprocedure::text, c.castcontext, c.castmethod
  FROM member m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
 ORDER BY 1;

\echo == relations
SELECT m.name, c.relkind, c.relpersistence, c.reloptions, c.relacl, c.relrowsecurity, c.relforcerowsecurity,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
 ORDER BY 1;
\echo == columns
SELECT c.oid::regclass::text, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       a.attidentity, a.attgenerated, pg_get_expr(ad.adbin, ad.adrelid), a.attacl,
       (SELECT collname FROM pg_collation WHERE oid = a.attcollation)
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
 ORDER BY 1, 3;
\echo == constraints, indexes, triggers, rules, policies
SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid), c.condeferrable, c.convalidated
  FROM pg_constraint c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.conrelid
 ORDER BY 1, 2;
SELECT c.contypid::regtype::text, c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = c.contypid
 ORDER BY 1, 2;
SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = i.indrelid
 ORDER BY 1, 2;
SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
  FROM pg_trigger t JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = t.tgrelid
 WHERE NOT t.tgisinternal ORDER BY 1, 2;
SELECT r.ev_class::regclass::text, r.rulename, pg_get_ruledef(r.oid)
  FROM pg_rewrite r JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = r.ev_class
 ORDER BY 1, 2;
SELECT p.polrelid::regclass::text, p.polname, p.polcmd, p.polpermissive, pg_get_expr(p.polqual, p.polrelid),
       pg_get_expr(p.polwithcheck, p.polrelid)
  FROM pg_policy p JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = p.polrelid
 ORDER BY 1, 2;

\echo == schema
SELECT n.nspname, pg_get_userbyid(n.nspowner) IS NOT NULL, n.nspacl, obj_description(n.oid, 'pg_namespace')
  FROM pg_namespace n WHERE n.nspname = 'quota';

\echo == initial privileges
SELECT pg_describe_object(i.classoid, i.objoid, i.objsubid), i.privtype, i.initprivs
  FROM pg_init_privs i JOIN member m ON m.classid = i.classoid AND m.objid = i.objoid
 ORDER BY 1;
