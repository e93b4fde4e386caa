#!/usr/bin/env python3
"""Runs the sql blocks of README.md and compares the results they show.

    readme.py README.md fixture.sql ADMIN_DB

Called by test/readme/run, which has the libpq variables (PGHOST, PGPORT,
PGUSER) point at a server with quota_ext installed; see its header for the
rules.  Prints "ok ..." and "FAIL ..." lines, one per block, and ends with
"readme: N passed, N failed"; exits 1 when something failed.
"""
import os
import re
import subprocess
import sys
import tempfile

README, FIXTURE, ADMIN_DB = sys.argv[1:4]
README_NAME = os.path.basename(README)

# The README says that the examples of these sections run in a new database
# after CREATE EXTENSION, "each on its own or one after the other": besides
# each section on its own, they also run one after the other in one database.
CHAIN = ['Effective-dated changes and history', 'Ramps', 'Seasonality',
         'Business days and holidays', 'Split credit']

TABLE_RULE = re.compile(r'^-- -+(\+-+)*$')
NOT_RUN = re.compile(r'^<!-- not run: (.+?) -->$')
QUERY = re.compile(r'^\s*(SELECT|VALUES|TABLE|WITH|SHOW)\b|\bRETURNING\b', re.I | re.S)

passed = 0
failed = 0


def report(ok, what, details=()):
    global passed, failed
    if ok:
        passed += 1
        print('ok   ' + what)
    else:
        failed += 1
        print('FAIL ' + what)
        for line in details:
            print('       ' + line)
    sys.stdout.flush()


def parse_readme(path):
    """Sections (## and ###) with their sql blocks, in order."""
    sections = [{'title': '(before the first section)', 'line': 1, 'blocks': []}]
    fence = None
    not_run = None
    with open(path) as f:
        lines = f.read().split('\n')
    for number, line in enumerate(lines, 1):
        if fence is not None:
            if line.startswith('```'):
                if fence == 'sql':
                    sections[-1]['blocks'].append({'line': start, 'body': body, 'not_run': not_run})
                fence = None
                not_run = None
            else:
                body.append(line)
            continue
        heading = re.match(r'^#{2,3} (.*)$', line)
        marker = NOT_RUN.match(line.strip())
        if heading:
            sections.append({'title': heading.group(1).strip(), 'line': number, 'blocks': []})
            not_run = None
        elif marker:
            not_run = marker.group(1)
        elif line.startswith('```'):
            fence = line[3:].strip()
            start = number + 1
            body = []
        elif line.strip():
            not_run = None  # a marker stands just before its block
    return sections


def split_comment(line):
    """The code of a line and its trailing -- comment (None without one)."""
    quoted = False
    for i, c in enumerate(line):
        if c == "'":
            quoted = not quoted
        elif not quoted and line.startswith('--', i):
            return line[:i], line[i + 2:].strip()
    return line, None


def parse_block(block):
    """The statements of a block, each with what the README says it gives.

    A statement ends with a line whose code ends with ';'.  What it gives:
    - a psql table shown in comment lines right after it (a header line,
      then a rule like -- ----+----, then rows): compared with the aligned
      output, without the footer;
    - a comment after the ';' of a query: the comment starts with the value
      (alone, or followed by ', ' or ' ' and a note), compared with the
      unaligned output;
    - a comment '-- ERROR: message' after the ';' of any statement: it must
      fail with that message (or one starting with it).
    Other comments are notes.  Returns (statements, problems).
    """
    body = block['body']
    statements = []
    problems = []
    text = []
    start = None
    i = 0
    while i < len(body):
        line = body[i]
        if not text and line.strip().startswith('--'):
            if (statements and statements[-1]['last'] == i - 1 and i + 1 < len(body)
                    and TABLE_RULE.match(body[i + 1].rstrip())):
                table = []
                while i < len(body) and body[i].startswith('--'):
                    table.append(body[i][3:] if body[i].startswith('-- ') else body[i][2:])
                    i += 1
                if statements[-1]['expect']:
                    problems.append('line %d: a statement shows two results' % (block['line'] + i))
                statements[-1]['expect'] = ('table', table)
                continue
            text.append(line)  # a note, sent with the next statement
            i += 1
            continue
        if not text and not line.strip():
            i += 1
            continue
        if start is None and not line.strip().startswith('--') and line.strip():
            start = i
            start_in_text = len(text)
        text.append(line)
        code, comment = split_comment(line)
        if code.rstrip().endswith(';'):
            sql = '\n'.join(text)
            code_only = '\n'.join(split_comment(l)[0] for l in text[start_in_text:])
            expect = None
            if comment is not None and comment.startswith('ERROR:'):
                expect = ('error', comment[len('ERROR:'):].strip())
            elif comment and QUERY.search(code_only):
                expect = ('value', comment)
            statements.append({'sql': sql, 'line': block['line'] + start, 'last': i, 'expect': expect})
            text = []
            start = None
        i += 1
    if start is not None:
        problems.append('line %d: a statement without its ";"' % (block['line'] + start))
    return statements, problems


def psql(db, args, **kw):
    return subprocess.run(['psql', '-X', '-q', '-d', db] + args, capture_output=True, text=True, **kw)


def run_block(db, block, label):
    """Runs one block in one session of db and compares what it shows."""
    statements, problems = parse_block(block)
    if problems:
        report(False, label + ': the README block is malformed', problems)
        return
    script = ['\\pset footer off']
    for n, st in enumerate(statements):
        value = st['expect'] and st['expect'][0] == 'value'
        if value:
            script += ['\\pset format unaligned', '\\pset tuples_only on']
        script += ['\\echo @@stmt %d' % n, st['sql'], '\\echo @@end %d :ERROR' % n,
                   '\\echo @@msg %d :LAST_ERROR_MESSAGE' % n]
        if value:
            script += ['\\pset format aligned', '\\pset tuples_only off']
    with tempfile.NamedTemporaryFile('w', suffix='.sql', delete=False) as f:
        f.write('\n'.join(script) + '\n')
        path = f.name
    try:
        out = psql(db, ['-v', 'ON_ERROR_STOP=0', '-f', path])
    finally:
        os.unlink(path)
    results = {}
    current = None
    for line in out.stdout.split('\n'):
        m = re.match(r'^@@(stmt|end|msg) (\d+) ?(.*)$', line)
        if m:
            kind, n, rest = m.group(1), int(m.group(2)), m.group(3)
            if kind == 'stmt':
                current = results.setdefault(n, {'output': [], 'error': None, 'message': ''})
            elif kind == 'end':
                results[n]['error'] = rest.strip() == 'true'
                current = None
            else:
                results[n]['message'] = rest
            continue
        if current is not None:
            current['output'].append(line)
    details = []
    compared = 0
    for n, st in enumerate(statements):
        where = 'line %d' % st['line']
        got = results.get(n)
        if got is None or got['error'] is None:
            details.append('%s: did not run (psql stopped?)' % where)
            continue
        expect = st['expect']
        output = got['output']
        while output and not output[-1].strip():
            output.pop()
        if expect and expect[0] == 'error':
            compared += 1
            if not got['error']:
                details.append('%s: succeeded, the README says ERROR: %s' % (where, expect[1]))
            elif not got['message'].startswith(expect[1]):
                details.append('%s: ERROR: %s' % (where, got['message']))
                details.append('%s  the README says ERROR: %s' % (' ' * len(where), expect[1]))
            continue
        if got['error']:
            details.append('%s: ERROR: %s' % (where, got['message']))
            continue
        if expect is None:
            continue
        compared += 1
        if expect[0] == 'value':
            value = '\n'.join(output)
            comment = expect[1]
            if not value or not (comment == value or comment.startswith(value + ',')
                                 or comment.startswith(value + ' ')):
                details.append('%s: gives %r, the README says -- %s' % (where, value, comment))
        else:
            want = [l.rstrip() for l in expect[1]]
            have = [l.rstrip() for l in output]
            if want != have:
                details.append('%s: gives' % where)
                details += ['    ' + l for l in have]
                details.append('  the README says')
                details += ['    ' + l for l in want]
    if out.returncode != 0:
        details.append('psql exited with %d' % out.returncode)
    if details and out.stderr.strip():
        details.append('psql said:')
        details += ['    ' + l for l in out.stderr.strip().split('\n')[-20:]]
    report(not details, '%s: %d statements, %d results compared' % (label, len(statements), compared),
           details)


def fixture_parts(path):
    """The parts of the fixture, by section title ('-- section: <title>')."""
    parts = {}
    title = None
    with open(path) as f:
        for line in f:
            m = re.match(r'^-- section: (.*)$', line.rstrip('\n'))
            if m:
                title = m.group(1).strip()
                parts[title] = ''
            elif title is not None:
                parts[title] += line
    return parts


def admin(*commands):
    args = ['-v', 'ON_ERROR_STOP=1']
    for c in commands:
        args += ['-c', c]
    return psql(ADMIN_DB, args)


def new_database(db, fixture, label):
    """A new database with the extension, the default search_path and the
    fixture; False (and a FAIL) when that fails."""
    out = admin('SET client_min_messages = warning', 'DROP DATABASE IF EXISTS %s' % db,
                'CREATE DATABASE %s' % db)
    if out.returncode == 0:
        out = psql(db, ['-v', 'ON_ERROR_STOP=1', '-c', 'SET client_min_messages = warning',
                        '-c', 'CREATE EXTENSION quota_ext CASCADE'])
    if out.returncode == 0:
        out = psql(db, ['-A', '-t', '-c', 'SHOW search_path'])
        if out.returncode == 0 and out.stdout.strip() != '"$user", public':
            report(False, '%s: the search_path of a new session is the default' % label,
                   ['it is %s' % out.stdout.strip()])
            return False
    if out.returncode == 0 and fixture:
        with tempfile.NamedTemporaryFile('w', suffix='.sql', delete=False) as f:
            f.write('SET client_min_messages = warning;\n' + fixture)
            path = f.name
        try:
            out = psql(db, ['-v', 'ON_ERROR_STOP=1', '-f', path])
        finally:
            os.unlink(path)
    if out.returncode != 0:
        report(False, '%s: a new database with the extension and the fixture' % label,
               out.stderr.strip().split('\n'))
        return False
    return True


def roles_of(blocks):
    names = []
    for block in blocks:
        for name in re.findall(r'\bCREATE\s+ROLE\s+(\w+)', '\n'.join(block['body']), re.I):
            if name.lower() not in names:
                names.append(name.lower())
    return names


def drop_roles(roles, label):
    for role in reversed(roles):
        out = admin('SET client_min_messages = warning', 'DROP ROLE IF EXISTS %s' % role)
        if out.returncode != 0:
            report(False, '%s: role %s, which the examples create, can be dropped' % (label, role),
                   out.stderr.strip().split('\n'))
            return False
    return True


def run_sections(db, sections, fixture, label_of):
    blocks = [(s, b) for s in sections for b in s['blocks'] if not b['not_run']]
    if not blocks:
        return
    roles = roles_of([b for _, b in blocks])
    label = label_of(sections[0], blocks[0][1])
    if drop_roles(roles, label) and new_database(db, fixture, label):
        for section, block in blocks:
            run_block(db, block, label_of(section, block))
    admin('DROP DATABASE IF EXISTS %s' % db)
    drop_roles(roles, label)


def main():
    sections = parse_readme(README)
    fixtures = fixture_parts(FIXTURE)
    titles = [s['title'] for s in sections]
    for title in fixtures:
        if title not in titles:
            report(False, '%s: fixture part "%s" names a section of %s' % (FIXTURE, title, README_NAME))
    for section in sections:
        for block in section['blocks']:
            if block['not_run']:
                print('skip %s:%d %s: not run: %s' % (README_NAME, block['line'], section['title'],
                                                      block['not_run']))
    for n, section in enumerate(sections):
        run_sections('quota_readme_%d' % n, [section], fixtures.get(section['title'], ''),
                     lambda s, b: '%s:%d %s' % (README_NAME, b['line'], s['title']))
    chain = [s for s in sections if s['title'] in CHAIN]
    if [s['title'] for s in chain] != CHAIN:
        report(False, 'the sections %s follow each other in %s' % (', '.join(CHAIN), README_NAME),
               ['found: %s' % ', '.join(s['title'] for s in chain)])
    else:
        run_sections('quota_readme_chain', chain, '',
                     lambda s, b: '%s:%d %s (one after the other from %s)' % (
                         README_NAME, b['line'], s['title'], CHAIN[0]))
    print('readme: %d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


main()
