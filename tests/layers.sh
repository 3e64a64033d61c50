#!/bin/sh
# rahdari tests: the library's layers are one-way (doc/architecture.md).
#
# Usage: top_builddir=BUILD srcdir=SOURCE sh tests/layers.sh
#        (make check-layers; RD_LIB_OBJECTS may list the library's libtool objects)
#
# Reads the symbol tables of the objects of lib/librahdari.la with nm, places each object
# in the layer lib/layers.txt gives its source file, and lists every reference from an
# object to a symbol defined in an object of a higher layer: caller file and layer, the
# symbol, callee file and layer. A reference is a call or the use of a variable: nm does
# not tell them apart, and neither may go up. References within one layer and to
# libraries outside rahdari are allowed.
#
# Exit status: 0 when nothing goes up; 1 when something does, or when an object has no
# line in lib/layers.txt (a new file must be placed), or a global symbol is defined in
# two objects; 77 (SKIP) without nm; 99 when the objects cannot be read (not built, or
# built so that nm sees no symbols, as with LTO) or lib/layers.txt is malformed.
# SPDX-License-Identifier: MIT

set -u

srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
NM=${RD_NM:-nm}
table=$srcdir/lib/layers.txt

if ! command -v "$NM" >/dev/null 2>&1; then
	echo "SKIP: $NM not found (set RD_NM to an nm that reads this build's objects)"
	exit 77
fi
if [ ! -f "$table" ]; then
	echo "ERROR: $table not found (set srcdir)"
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdlayers.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

# The library's libtool objects: the list make gives (exactly what is linked), or, run by
# hand, every lib/*.lo of the build tree.
if [ -n "${RD_LIB_OBJECTS:-}" ]; then
	los=
	for lo in $RD_LIB_OBJECTS; do
		los="$los $top_builddir/$lo"
	done
else
	los=$(ls "$top_builddir"/lib/*.lo 2>/dev/null)
fi
if [ -z "$los" ]; then
	echo "ERROR: no libtool objects under $top_builddir/lib: build the library first"
	exit 99
fi

# One line per symbol: FILE OBJECT TYPE SYMBOL. A libtool object (.lo) names the real
# object: the PIC one, or the non-PIC one in a static-only build.
: >"$tmp/syms"
nobj=0
for lo in $los; do
	if [ ! -f "$lo" ]; then
		echo "ERROR: $lo not built"
		exit 99
	fi
	obj=$(sed -n "s/^pic_object='\(.*\)'\$/\1/p" "$lo")
	if [ -z "$obj" ] || [ "$obj" = none ]; then
		obj=$(sed -n "s/^non_pic_object='\(.*\)'\$/\1/p" "$lo")
	fi
	if [ -z "$obj" ] || [ "$obj" = none ]; then
		echo "ERROR: $lo names no object"
		exit 99
	fi
	obj=$(dirname "$lo")/$obj
	# lib/librahdari_la-engine.lo -> engine.c
	file=$(basename "$lo" .lo)
	file=${file#*_la-}.c
	if ! "$NM" -P -g "$obj" >"$tmp/one" 2>"$tmp/err"; then
		echo "ERROR: $NM could not read $obj:"
		cat "$tmp/err"
		exit 99
	fi
	if ! awk '$2 != "U" && $2 != "w" && $2 != "v" { found = 1 } END { exit !found }' "$tmp/one"
	then
		echo "ERROR: $NM sees no symbol defined in $obj (an LTO object? build without -flto)"
		exit 99
	fi
	awk -v file="$file" -v obj="$obj" 'NF >= 2 { print file, obj, $2, $1 }' "$tmp/one" \
		>>"$tmp/syms"
	nobj=$((nobj + 1))
done

awk -v table="$table" -v nobj="$nobj" '
# ---- lib/layers.txt: FILE NUMBER NAME
FNR == NR {
	sub(/#.*/, "")
	if (NF == 0)
		next
	if (NF != 3 || $2 !~ /^[0-9]+$/) {
		printf "ERROR: %s:%d: expected FILE LAYER-NUMBER LAYER-NAME\n", table, FNR
		bad = 1
		next
	}
	if ($1 in layer) {
		printf "ERROR: %s:%d: %s placed twice\n", table, FNR, $1
		bad = 1
	}
	if (($2 in lname) && lname[$2] != $3) {
		printf "ERROR: %s:%d: layer %d is named %s here and %s above\n", table, FNR,
			$2, $3, lname[$2]
		bad = 1
	}
	layer[$1] = $2 + 0
	lname[$2 + 0] = $3
	order[++nplaced] = $1
	next
}
# ---- the symbols: FILE OBJECT TYPE SYMBOL
{
	file = $1
	objof[file] = $2
	if ($3 == "U" || $3 == "w" || $3 == "v") {
		nref++
		rfile[nref] = file
		rsym[nref] = $4
	} else if ($3 ~ /^[A-Z]$/ || $3 == "i") {
		# a global definition (T D B R C G S V W, i for an indirect function)
		if (($4 in def) && def[$4] != file && $3 != "W" && $3 != "V" && $3 != "C") {
			printf "FAIL: %s is defined in both %s and %s\n", $4, def[$4], file
			dup++
		}
		def[$4] = file
	}
}
function where(f) {
	return sprintf("%s (%d %s)", f, layer[f], lname[layer[f]])
}
END {
	if (bad)
		exit 99
	unplaced = 0
	for (f in objof)
		if (!(f in layer)) {
			printf "FAIL: %s (%s) has no layer: give it a line in lib/layers.txt\n",
				f, objof[f]
			unplaced++
		}
	printf "layers: %d objects of lib/librahdari.la, placed by lib/layers.txt\n", nobj
	for (i = 1; i <= nplaced; i++) {
		f = order[i]
		if (f in objof)
			printf "  %-26s %s\n", where(f), objof[f]
		else
			printf "  %-26s (not built)\n", where(f)
	}
	up = 0
	for (i = 1; i <= nref; i++) {
		f = rfile[i]; s = rsym[i]
		if (!(s in def) || !(f in layer) || !(def[s] in layer))
			continue
		g = def[s]
		if (layer[g] > layer[f]) {
			line[++up] = sprintf("%s -> %s: %s", where(f), where(g), s)
			pair[where(f) " -> " where(g)]++
		}
	}
	# sort the lines (insertion sort: a few hundred at most) so groups stay together
	for (i = 2; i <= up; i++) {
		v = line[i]
		for (j = i - 1; j >= 1 && line[j] > v; j--)
			line[j + 1] = line[j]
		line[j + 1] = v
	}
	for (i = 1; i <= up; i++)
		printf "UPWARD: %s\n", line[i]
	if (up) {
		npairs = 0
		for (p in pair)
			plist[++npairs] = p
		for (i = 2; i <= npairs; i++) {
			v = plist[i]
			for (j = i - 1; j >= 1 && plist[j] > v; j--)
				plist[j + 1] = plist[j]
			plist[j + 1] = v
		}
		printf "FAIL: %d upward references in %d pairs of files:\n", up, npairs
		for (i = 1; i <= npairs; i++)
			printf "  %s (%d)\n", plist[i], pair[plist[i]]
	}
	if (up || unplaced || dup)
		exit 1
	print "ok: no object uses a symbol of a higher layer"
}
' "$table" "$tmp/syms"
