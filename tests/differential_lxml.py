#!/usr/bin/python3
"""Differential test: rahdari against lxml's ISO Schematron (XSLT 1.0 skeleton).

Usage: differential_lxml.py RAHDARI_BINARY CONFORMANCE_DIR

For every case of the conformance set (tests/conformance/<case>/) that rahdari
is expected to accept and that uses only ISO Schematron as lxml implements it,
both implementations validate document.xml against schema.sch. Every
failed-assert and successful-report becomes a triple (kind, assert id, node),
where the node is found by evaluating the finding's location XPath on the
document and is named by lxml's tree.getpath() (plus the attribute name for
attributes). The two multisets of triples must be equal.

Prints one line per case (ok / SKIP reason / FAIL details) and a closing line
with the counts. Exit status: 0 when every compared case agrees, 1 when one
does not (or fewer than MIN_COMPARED cases could be compared), 77 (automake's
SKIP) when lxml cannot be imported.
"""

import collections
import json
import os
import re
import subprocess
import sys

try:
    from lxml import etree, isoschematron
except ImportError:  # pragma: no cover - depends on the machine
    print("SKIP: lxml is not importable (install python3-lxml)")
    sys.exit(77)

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"

# Fewer compared cases than this means the comparison has lost its teeth.
MIN_COMPARED = 40

# Cases lxml's isoschematron cannot compile or run the way ISO Schematron
# means, each with the reason. Any other case lxml fails on is a FAIL, so this
# list stays honest: remove an entry when lxml learns the feature.
LXML_CANNOT = {
    "abstract-pattern-two-instances":
        "lxml's abstract expansion copies assert ids as they are: two instances give duplicate xsd:IDs, which its schema check refuses",
    "abstract-pattern-params-in-expressions":
        "lxml's abstract expansion copies assert ids as they are: two instances give duplicate xsd:IDs",
    "booking-date-order":
        "lxml's abstract expansion copies assert ids as they are: two instances give duplicate xsd:IDs",
    "abstract-pattern-let":
        "lxml's abstract expansion does not substitute parameters in sch:let/@value",
    "phase-default-all":
        "lxml's schema for Schematron types defaultPhase as an IDREF, so defaultPhase=\"#ALL\" is refused",
    "abstract-rules-container":
        "sch:rules (ISO 2016) is not in the schema lxml checks Schematron files against",
    "let-element-content":
        "lxml's XSLT 1.0 skeleton cannot compile a sch:let without @value (element content)",
    "let-in-rule-context":
        "XSLT 1.0 forbids variable references in match patterns (rule contexts)",
    "let-phase-in-rule-let":
        "XSLT 1.0 forbids variable references in match patterns (rule contexts)",
    "let-phase-shadows-schema":
        "lxml's skeleton makes phase lets global variables: a phase let may not shadow a schema let",
    "booking-phases":
        "lxml's skeleton makes phase lets global variables: a phase let may not shadow a schema let",
    "let-phase-schema-value-without-phase":
        "lxml's skeleton makes phase lets global variables: a phase let may not shadow a schema let",
}

# Words in a schema that mean rahdari-only behaviour (checked by the conformance
# runner alone). Each entry: (regular expression, reason). current() and
# sch:properties are not here: lxml's XSLT 1.0 skeleton implements both the
# ISO way, and comparing them found agreement.
RAHDARI_ONLY = [
    (re.compile(r"urn:rahdari:fn:1"), "uses rahdari functions (urn:rahdari:fn:1)"),
    (re.compile(r"urn:rahdari:rules:1"), "uses rahdari metadata (urn:rahdari:rules:1)"),
    (re.compile(r"<sch:diagnostic\b[^>]*xml:lang="), "diagnostics with xml:lang translations"),
    (re.compile(r"\bseverity="), "uses the severity attribute (not in lxml's Schematron schema)"),
    (re.compile(r"\bsubject="), "uses the subject attribute (lxml's skeleton ignores it)"),
]


def case_files(case_dir):
    """Every .sch file of a case (the schema and what it includes)."""
    out = []
    for root, _dirs, files in os.walk(case_dir):
        for f in sorted(files):
            if f.endswith(".sch"):
                out.append(os.path.join(root, f))
    return out


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def map_options(case_dir):
    """Map the case's CLI options to lxml.

    Returns (phase, rahdari_args, reason): the phase for lxml (None for the
    schema's default), the options to give rahdari, and a reason to skip the
    case when an option has no lxml counterpart (--as-of, --lang, ...)."""
    path = os.path.join(case_dir, "options")
    if not os.path.exists(path):
        return None, [], None
    with open(path, encoding="utf-8") as f:
        args = f.read().split()
    phase = None
    i = 0
    while i < len(args):
        if args[i] in ("--phase", "-p") and i + 1 < len(args):
            phase = args[i + 1]
            i += 2
        else:
            return None, args, "option %s has no lxml counterpart" % args[i]
    if phase == "#DEFAULT":
        phase = None  # lxml's skeleton falls back to defaultPhase by itself
    return phase, args, None


def rahdari_only_reason(case_dir):
    """Why the case exercises rahdari-only behaviour, or None."""
    for path in case_files(case_dir):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for rx, reason in RAHDARI_ONLY:
            if rx.search(text):
                return reason
    return None


def schema_prefixes(case_dir):
    """Prefixes bound by sch:ns anywhere in the case's schema files: rahdari
    writes locations with them."""
    ns = {}
    for path in case_files(case_dir):
        try:
            tree = etree.parse(path)
        except etree.XMLSyntaxError:
            continue
        for el in tree.iter("{%s}ns" % SCH_NS):
            if el.get("prefix") and el.get("uri"):
                ns[el.get("prefix")] = el.get("uri")
    return ns


def node_key(tree, node):
    """A stable name for a node returned by XPath: its getpath(), with
    /@name for attributes and /text() for text nodes."""
    if isinstance(node, str):  # lxml's "smart strings": attributes and text
        parent = getattr(node, "getparent", lambda: None)()
        if parent is None:
            return None
        if getattr(node, "is_attribute", False):
            name = node.attrname
            if name.startswith("{"):
                uri, local = name[1:].split("}", 1)
                name = "*[local-name()='%s' and namespace-uri()='%s']" % (local, uri)
            return "%s/@%s" % (tree.getpath(parent), name)
        if getattr(node, "is_tail", False):
            return "%s/following-text()" % tree.getpath(parent)
        return "%s/text()" % tree.getpath(parent)
    if isinstance(node, etree._Element):
        return tree.getpath(node)
    return None


def resolve(tree, location, namespaces):
    """Evaluate a location XPath on the document; return the node's key or
    an 'UNRESOLVED' marker that can never match."""
    if location == "/":
        return "/"
    try:
        found = tree.xpath(location, namespaces=namespaces)
    except etree.XPathError as e:
        return "UNRESOLVED(%s: %s)" % (location, e)
    if not isinstance(found, list) or len(found) != 1:
        n = len(found) if isinstance(found, list) else "not a node-set"
        return "UNRESOLVED(%s selects %s nodes)" % (location, n)
    key = node_key(tree, found[0])
    return key if key is not None else "UNRESOLVED(%s)" % location


def svrl_findings(report):
    """(kind, id, location) of every finding in an SVRL report."""
    out = []
    for el in report.getroot().iter("{%s}failed-assert" % SVRL_NS,
                                    "{%s}successful-report" % SVRL_NS):
        kind = el.tag.split("}", 1)[1]
        out.append((kind, el.get("id"), el.get("location") or ""))
    return out


# Location templates added to the stylesheet lxml compiles. Its XSLT 1.0
# skeleton writes locations only for elements: attributes come out as "/@name"
# without their parent, the document node as the path of the root element, and
# text, comment and processing-instruction nodes as nothing. These templates
# (in the skeleton's own mode) write a full path for each of those kinds; the
# validation logic of the stylesheet is not touched.
LOCATION_TEMPLATES = """
<axsl:stylesheet version="1.0" xmlns:axsl="http://www.w3.org/1999/XSL/Transform">
  <axsl:template match="/" mode="schematron-get-full-path">
    <axsl:text>/</axsl:text>
  </axsl:template>
  <axsl:template match="@*" mode="schematron-get-full-path">
    <axsl:apply-templates select="parent::*" mode="schematron-get-full-path"/>
    <axsl:text>/@*[local-name()='</axsl:text>
    <axsl:value-of select="local-name()"/>
    <axsl:text>' and namespace-uri()='</axsl:text>
    <axsl:value-of select="namespace-uri()"/>
    <axsl:text>']</axsl:text>
  </axsl:template>
  <axsl:template match="text()" mode="schematron-get-full-path">
    <axsl:apply-templates select="parent::*" mode="schematron-get-full-path"/>
    <axsl:value-of select="concat('/text()[', 1 + count(preceding-sibling::text()), ']')"/>
  </axsl:template>
  <axsl:template match="comment()" mode="schematron-get-full-path">
    <axsl:apply-templates select="parent::*" mode="schematron-get-full-path"/>
    <axsl:value-of select="concat('/comment()[', 1 + count(preceding-sibling::comment()), ']')"/>
  </axsl:template>
  <axsl:template match="processing-instruction()" mode="schematron-get-full-path">
    <axsl:apply-templates select="parent::*" mode="schematron-get-full-path"/>
    <axsl:value-of select="concat('/processing-instruction()[', 1 +
                           count(preceding-sibling::processing-instruction()), ']')"/>
  </axsl:template>
</axsl:stylesheet>
"""


def patched_validator(compiled):
    """The compiled Schematron stylesheet with LOCATION_TEMPLATES in place of
    the skeleton's own templates for those node kinds."""
    root = compiled.getroot()
    replaced = {"/", "@*", "text()", "comment()", "processing-instruction()"}
    for t in list(root.iter("{%s}template" % XSL_NS)):
        if t.get("mode") == "schematron-get-full-path" and t.get("match") in replaced:
            t.getparent().remove(t)
    for t in etree.fromstring(LOCATION_TEMPLATES).iter("{%s}template" % XSL_NS):
        root.append(t)
    return etree.XSLT(compiled)


def run_lxml(schema_path, doc_tree, phase):
    """Validate with lxml's pipeline (include, abstract expansion, schema check,
    compilation), then run the compiled stylesheet with the location templates
    above. Returns the SVRL findings.

    The skeleton's traversal is set explicitly: its automatic choice visits only
    child elements as soon as a context contains "(" (so comment() and
    processing-instruction() contexts below the root are never reached), and
    text nodes are visited only on request."""
    # (plain strings: lxml quotes them as XSLT string parameters itself)
    params = {"attributes": "true", "only-child-elements": "false", "visit-text": "true"}
    kwargs = {"store_xslt": True, "compile_params": params}
    if phase is not None:
        kwargs["phase"] = phase
    schematron = isoschematron.Schematron(etree.parse(schema_path), **kwargs)
    report = patched_validator(schematron.validator_xslt)(doc_tree)
    return svrl_findings(report)


def lxml_triples(case_dir, phase):
    """The lxml findings as (kind, id, node-key) triples."""
    doc_tree = etree.parse(os.path.join(case_dir, "document.xml"))
    findings = run_lxml(os.path.join(case_dir, "schema.sch"), doc_tree, phase)
    return [(kind, fid, resolve(doc_tree, location, {}))
            for kind, fid, location in findings]


def rahdari_triples(binary, case_dir, args):
    """The rahdari findings (JSON output) as (kind, id, node-key) triples; an
    evaluation error keeps its own kind, so it can never match."""
    cmd = [binary, "check", "--rules", "schema.sch", "--format", "json"] + args + ["document.xml"]
    proc = subprocess.run(cmd, cwd=case_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError("rahdari exited %d: %s" % (proc.returncode, proc.stderr.strip()))
    report = json.loads(proc.stdout)
    doc_tree = etree.parse(os.path.join(case_dir, "document.xml"))
    prefixes = schema_prefixes(case_dir)
    kinds = {"assert": "failed-assert", "report": "successful-report"}
    triples = []
    for f in report.get("findings", []):
        kind = kinds.get(f.get("kind"), f.get("kind"))
        triples.append((kind, f.get("rule"), resolve(doc_tree, f.get("location", ""), prefixes)))
    return triples


def describe(counter):
    """A multiset of triples, for a FAIL line."""
    return ", ".join("%s %s @ %s%s" % (k, i, n, " (x%d)" % c if c > 1 else "")
                     for (k, i, n), c in sorted(counter.items()))


def main(argv):
    # Under `make check` the arguments come from the environment (RAHDARI, srcdir).
    if len(argv) == 1 and os.environ.get("RAHDARI"):
        argv = [argv[0], os.environ["RAHDARI"],
                os.path.join(os.environ.get("srcdir", "."), "tests", "conformance")]
    if len(argv) != 3:
        sys.stderr.write("usage: %s RAHDARI_BINARY CONFORMANCE_DIR\n" % argv[0])
        return 2
    binary, root = os.path.abspath(argv[1]), argv[2]
    if not os.path.isdir(root):
        sys.stderr.write("%s: no such directory\n" % root)
        return 2
    compared = skipped = failed = 0
    for case in sorted(os.listdir(root)):
        case_dir = os.path.join(root, case)
        if not os.path.isfile(os.path.join(case_dir, "expected")):
            continue
        expected = read_lines(os.path.join(case_dir, "expected"))
        if expected[:1] == ["refused"]:
            skipped += 1
            print("SKIP %s: refused at load time by design (nothing to compare)" % case)
            continue
        phase, args, reason = map_options(case_dir)
        reason = rahdari_only_reason(case_dir) or reason or LXML_CANNOT.get(case)
        if reason is not None:
            skipped += 1
            print("SKIP %s: %s" % (case, reason))
            continue
        try:
            theirs = collections.Counter(lxml_triples(case_dir, phase))
        except Exception as e:  # lxml refused the schema or failed to run it
            failed += 1
            print("FAIL %s: lxml could not run it: %s" % (case, str(e).splitlines()[0]))
            continue
        try:
            ours = collections.Counter(rahdari_triples(binary, case_dir, args))
        except Exception as e:
            failed += 1
            print("FAIL %s: %s" % (case, e))
            continue
        compared += 1
        if ours == theirs:
            print("ok   %s (%d findings)" % (case, sum(ours.values())))
        else:
            failed += 1
            print("FAIL %s" % case)
            print("     only rahdari: %s" % (describe(ours - theirs) or "-"))
            print("     only lxml:    %s" % (describe(theirs - ours) or "-"))
    print("lxml differential: %d compared, %d skipped, %d failed" % (compared, skipped, failed))
    if compared < MIN_COMPARED:
        print("FAIL: only %d cases compared, fewer than %d" % (compared, MIN_COMPARED))
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
