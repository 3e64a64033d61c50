#!/usr/bin/env python3
"""Generate one large booking (or a submission holding it) for rahdari's scaling checks.

Usage: gen_large_booking.py N OUT.xml [--shape phone|families|workers] [--plant]
                            [--group-size G] [--submission] [--seed S]

OUT.xml may be - for standard output.

Writes one <booking xmlns="urn:rahdari:doc:1"> with N travellers, to see how the time of
a check grows with the size of one booking (bench/README.md, "Large bookings"). Rules
that compare each traveller with every other one, or each flight with every traveller,
take time in the square (or worse) of N; on these files they stand out.

Shapes:

* phone: N unrelated adults on one Umrah trip, every one of them with the same
  contact phone, two flights for all of them and nothing else. The worst case of
  PK-RISK-014 (one phone for unrelated travellers), which fires once.
* families (default): an Umrah group of N travellers in families of one to six
  (spouses, children, parents and siblings with their relationships, fathers' names
  and CNICs), split into parties of about G travellers (--group-size, default 40),
  each party with its own flights out and back and its own hotel (segments and
  hotels listing their passengers), one package, and a payment by the head of each
  family. Many flights, hotels and payments; each traveller is on a few of them.
* workers: N men recruited by one employer abroad through the licensed promoter,
  each with a work visa, a Protector of Emigrants registration and an emigration
  record, flying in parties of about G, the employer paying.

The data is lawful under the embedded pk pack (rahdari check --as-of 2026-12-01):
licences of rules/pk/tables/licence-register.csv, valid passports and visas, paid
hotels, declared payers. A large group is still a large group: in families, adult men
travel with women of other families, which PK-RISK-015 points out (an indicator, not
a breach). With --plant, breaches and red flags are planted at fixed places among the
travellers: a minor travelling alone, three unrelated travellers sharing one phone, a
passport held by an agent for months, an earlier deportation, a passport expiring
during the trip, a CNIC whose gender digit is the other sex's, an unpaid hotel and a
large cash payment (in workers, a worker without Protector registration instead of
the hotel).

Every file validates against rules/pk/schemas/booking.xsd (or submission.xsd with
--submission, which wraps the booking in a submission for `rahdari audit`). The
output depends only on N, the options and the seed (the PRNG of gen_submission.py).
Standard library only.
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_submission import (FEMALE, MALE, SURNAMES, Rng, add_years, iso,  # noqa: E402
                            mrz_element, passport_mrz)

DEFAULT_SEED = 20261202
CREATED = datetime.datetime(2026, 11, 20, 11, 30)
DEPART = datetime.datetime(2026, 12, 10, 3, 40)
STAY_DAYS = 14
# The CNIC area prefixes of Lahore and its neighbours (the home of the selling office).
PREFIXES = [35202, 35201, 34101, 34603, 33100]
# Surnames for travellers who are not family: more than SURNAMES, so that strangers
# mostly have different ones.
EXTRA_SURNAMES = ["ASLAM", "ZAFAR", "NAWAZ", "SHAH", "GILL", "WARRAICH", "CHEEMA", "BAJWA",
                  "TARAR", "VIRK", "SANDHU", "DOGAR", "LODHI", "NIAZI", "KHOSA", "LEGHARI",
                  "MAZARI", "JATOI", "TALPUR", "SHERAZI", "RIZVI", "JAFRI", "ZAIDI", "HASHMI"]
ALL_SURNAMES = SURNAMES + EXTRA_SURNAMES
EMPLOYER = ("AL-FAHAD CONTRACTING EST.", "RIYADH")
OEP_LICENCE = "2198/LHR"
OEP_NAME = "Al-Mansoor Overseas Employment Promoters"


class Booking(object):
    def __init__(self, n, shape, plant, group_size, seed):
        self.n = n
        self.shape = shape
        self.plant = plant
        self.group_size = max(1, group_size)
        self.rng = Rng(seed)
        self.serial = 0

    # -------------------------------------------------------------- small pieces

    def cnic(self, sex):
        rng = self.rng
        last = 2 * rng.between(1, 4) if sex == "F" else 2 * rng.between(0, 4) + 1
        return "%05d-%07d-%d" % (rng.pick(PREFIXES), rng.between(0, 9999999), last)

    def passport_no(self):
        self.serial += 1
        return "%s%s%07d" % (chr(65 + self.serial % 26), chr(65 + (self.serial // 26) % 26),
                             (self.serial * 7919) % 10000000)

    def phone(self, k):
        return "+92 3%02d %07d" % (k % 50, (k * 104729) % 10000000)

    # -------------------------------------------------------------- who travels

    def people(self):
        """The travellers: dicts with id, sex, given, surname, father, age (years), rel,
        family (index of the family), and what --plant changes."""
        rng = self.rng
        out = []
        fam = 0
        while len(out) < self.n:
            first = len(out) + 1
            if self.shape == "phone":
                size = 1
            elif self.shape == "workers":
                size = 1
            else:
                size = min(self.n - len(out), rng.weighted([(1, 20), (2, 30), (3, 15), (4, 15),
                                                            (5, 12), (6, 8)]))
            surname = ALL_SURNAMES[fam % len(ALL_SURNAMES)] if self.shape != "families" \
                else rng.pick(ALL_SURNAMES)
            if self.shape == "workers":
                sex = "M"
                age = rng.between(22, 44)
            else:
                sex = rng.weighted([("M", 60), ("F", 40)]) if self.shape == "families" else "M"
                age = rng.between(30, 64)
            given = rng.pick(MALE if sex == "M" else FEMALE)
            grandfather = rng.pick(MALE)
            head = {"id": "P%d" % first, "sex": sex, "given": given, "surname": surname,
                    "father": "%s %s" % (grandfather, surname), "age": age, "rel": [],
                    "family": fam}
            out.append(head)
            head_name = "%s %s" % (given, surname)
            spouse = None
            for k in range(1, size):
                pid = "P%d" % (first + k)
                if k == 1:
                    ssex = "F" if sex == "M" else "M"
                    p = {"sex": ssex, "given": rng.pick(FEMALE if ssex == "F" else MALE),
                         "surname": surname,
                         "father": "%s %s" % (rng.pick(MALE), rng.pick(ALL_SURNAMES)),
                         "age": max(19, age + rng.between(-6, 6)), "rel": [(head["id"], "spouse")]}
                    spouse = p
                else:
                    csex = rng.pick("MF")
                    father = head_name if sex == "M" else "%s %s" % (spouse["given"], surname)
                    rel = [(head["id"], "father" if sex == "M" else "mother")]
                    p = {"sex": csex, "given": rng.pick(MALE if csex == "M" else FEMALE),
                         "surname": surname, "father": father,
                         "age": rng.between(4, max(4, min(age - 21, 30))), "rel": rel}
                p["id"] = pid
                p["family"] = fam
                out.append(p)
            fam += 1
        return out[:self.n]

    # -------------------------------------------------------------- the booking

    def write(self, f, indent):
        rng = self.rng
        pad = " " * indent
        people = self.people()
        n = len(people)
        workers = self.shape == "workers"
        dep_date = DEPART.date()

        # where --plant puts its problems: fixed fractions of the way through
        def at(frac):
            return people[min(n - 1, int(n * frac))]["id"] if n else None

        planted = {}
        if self.plant and n >= 12:
            planted = {"minor": at(0.05), "custody": at(0.15), "deported": at(0.25),
                       "expiring": at(0.35), "cnic-sex": at(0.45), "phone": at(0.55),
                       "no-protector": at(0.65)}

        # the parties: consecutive travellers, families never split
        parties = []
        cur = []
        for p in people:
            if len(cur) >= self.group_size and p["family"] != cur[-1]["family"]:
                parties.append(cur)
                cur = []
            cur.append(p)
        if cur:
            parties.append(cur)
        if self.shape == "phone":
            parties = [people]

        w = f.write
        w('%s<booking xmlns="urn:rahdari:doc:1" id="BK-LARGE-%s-%d" created="%s" group="GRP-%d"'
          ' status="ticketed">\n' % (pad, self.shape.upper(), n, CREATED.strftime("%Y-%m-%dT%H:%M"), n))
        w('%s  <agency name="Al-Noor Travels" licence="PB-LHR-2019-0412" office="LHR-01"'
          ' province="PK-PB" district="Lahore"%s/>\n'
          % (pad, ' oep-licence="%s"' % OEP_LICENCE if workers else
             ' mora-licence="MORA-UMR-2024-0417"'))
        if workers:
            w('%s  <service type="air-ticket"/>\n' % pad)
        else:
            w('%s  <service type="umrah-package" field="e"/>\n' % pad)
        w('%s  <booker passenger="%s"/>\n' % (pad, people[0]["id"] if n else "P1"))

        # contacts: one phone for everybody (phone), else one per family (and the
        # planted shared phone for three travellers of different families)
        shared = self.phone(999983)
        seen = set()
        for p in people:
            if self.shape == "phone":
                w('%s  <contact of="%s" kind="mobile" phone="%s"/>\n' % (pad, p["id"], shared))
            elif p["family"] not in seen:
                seen.add(p["family"])
                w('%s  <contact of="%s" kind="mobile" phone="%s"/>\n'
                  % (pad, p["id"], self.phone(p["family"])))
        if planted.get("phone"):
            heads = []
            seenf = set()
            start = people.index(next(p for p in people if p["id"] == planted["phone"]))
            for p in people[start:]:
                if p["family"] not in seenf and p["age"] >= 18:
                    seenf.add(p["family"])
                    heads.append(p)
                if len(heads) == 3:
                    break
            for p in heads:
                w('%s  <contact of="%s" kind="home" phone="+92 300 5550123"/>\n' % (pad, p["id"]))

        # the travellers
        for p in people:
            self.passenger(w, pad + "  ", p, planted, workers, dep_date)
        if planted.get("minor"):
            # a child with no family on the booking and no consent (PK-RISK-007)
            self.passenger(w, pad + "  ", {"id": "P%d" % (n + 1), "sex": "F", "given": "MAHNOOR",
                                           "surname": "ZAIDI", "father": "ABBAS ZAIDI", "age": 15,
                                           "rel": [], "family": -1}, planted, workers, dep_date)
        if workers:
            w('%s  <party id="EMP-1" kind="employer" name="%s" country="SAU" city="%s"/>\n'
              % (pad, EMPLOYER[0], EMPLOYER[1]))

        # flights and hotels of each party
        hotels = []
        extra = [("P%d" % (n + 1))] if planted.get("minor") else []
        for k, party in enumerate(parties):
            ids = [p["id"] for p in party] + (extra if k == 0 else [])
            listed = "" if len(parties) == 1 and not extra else ' passengers="%s"' % " ".join(ids)
            out = DEPART + datetime.timedelta(minutes=35 * (k % 30))
            arr = out + datetime.timedelta(minutes=295)
            w('%s  <segment carrier="SV" flight="SV%d" from="LHE" to="JED" departure="%s"'
              ' arrival="%s"%s/>\n' % (pad, 700 + k % 200, out.strftime("%Y-%m-%dT%H:%M"),
                                      arr.strftime("%Y-%m-%dT%H:%M"), listed))
            if workers:
                continue
            back = out + datetime.timedelta(days=STAY_DAYS, hours=8)
            barr = back + datetime.timedelta(minutes=270)
            w('%s  <segment carrier="PK" flight="PK%d" from="JED" to="LHE" departure="%s"'
              ' arrival="%s"%s/>\n' % (pad, 740 + k % 100, back.strftime("%Y-%m-%dT%H:%M"),
                                      barr.strftime("%Y-%m-%dT%H:%M"), listed))
            if self.shape == "families":
                paid = "false" if self.plant and k == len(parties) // 2 and len(parties) > 1 else "true"
                hotels.append((listed, arr.date(), back.date(), paid, k))
        for listed, cin, cout, paid, k in hotels:
            w('%s  <hotel name="Makkah Towers" city="MAKKAH" country="SAU" check-in="%s"'
              ' check-out="%s" paid="%s" confirmation="MA-%05d"%s/>\n'
              % (pad, iso(cin), iso(cout), paid, k, listed))
        if self.shape == "phone":
            w('%s  <hotel name="Makkah Towers" city="MAKKAH" country="SAU" check-in="%s"'
              ' check-out="%s" paid="true" confirmation="MA-00001"/>\n'
              % (pad, iso(dep_date), iso(dep_date + datetime.timedelta(days=STAY_DAYS))))

        # the package and the payments
        per_head = 150000 if workers else 380000
        if not workers:
            total = per_head * n
            w('%s  <package name="Umrah %d nights" price="%d" currency="PKR" per="booking">\n'
              % (pad, STAY_DAYS, total))
            for kind, share in (("flight", 42), ("hotel", 32), ("visa", 17), ("transport", 4)):
                w('%s    <component kind="%s" cost="%d" currency="PKR"/>\n'
                  % (pad, kind, total * share // 100))
            w('%s  </package>\n' % pad)
        if workers:
            w('%s  <payment payer="EMP-1" method="BANK" amount="%d" currency="PKR"/>\n'
              % (pad, per_head * n))
        else:
            sizes = {}
            for p in people:
                sizes[p["family"]] = sizes.get(p["family"], 0) + 1
            seenf = set()
            for p in people:
                if p["family"] in seenf:
                    continue
                seenf.add(p["family"])
                size = sizes[p["family"]]
                w('%s  <payment payer="%s" method="%s" amount="%d" currency="PKR"/>\n'
                  % (pad, p["id"], "BANK" if p["family"] % 3 else "CARD", per_head * size))
        if self.plant:
            w('%s  <payment payer="%s" method="CASH" amount="900000" currency="PKR"/>\n'
              % (pad, people[-1]["id"] if n else "P1"))
        w('%s</booking>\n' % pad)

    def passenger(self, w, pad, p, planted, workers, dep_date):
        rng = self.rng
        pid = p["id"]
        birth = dep_date - datetime.timedelta(days=365 * p["age"] + rng.between(20, 300))
        adult = p["age"] >= 18
        w('%s<passenger id="%s">\n' % (pad, pid))
        w('%s  <surname>%s</surname>\n' % (pad, p["surname"]))
        w('%s  <given-names>%s</given-names>\n' % (pad, p["given"]))
        w('%s  <father-name>%s</father-name>\n' % (pad, p["father"]))
        w('%s  <birth-date>%s</birth-date>\n' % (pad, iso(birth)))
        w('%s  <sex>%s</sex>\n' % (pad, p["sex"]))
        w('%s  <nationality>PAK</nationality>\n' % pad)
        cnic = None
        if adult:
            cnic = self.cnic(p["sex"])
            if planted.get("cnic-sex") == pid:
                cnic = cnic[:-1] + ("2" if p["sex"] == "M" else "1")
            w('%s  <cnic>%s</cnic>\n' % (pad, cnic))
        for to, rtype in p["rel"]:
            w('%s  <relationship to="%s" type="%s"/>\n' % (pad, to, rtype))
        issue = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.between(0, 900))
        years = 10 if adult else 5
        expiry = add_years(issue, years) - datetime.timedelta(days=1)
        if planted.get("expiring") == pid:
            expiry = dep_date + datetime.timedelta(days=60)
            issue = add_years(expiry, -years) + datetime.timedelta(days=1)
        ppno = self.passport_no()
        inner = []
        if rng.chance(300):
            inner.append(mrz_element(len(pad) + 4, passport_mrz(
                "PAK", p["surname"], p["given"], ppno, "PAK", birth, p["sex"], expiry, cnic)))
        if planted.get("custody") == pid:
            inner.append('%s    <custody held-by="sub-agent ABID" purpose="visa-processing" received="2026-06-01"/>\n'
                         % pad)
        w('%s  <passport number="%s" type="PP" issuing-state="PAK" issue-date="%s" expiry-date="%s"%s\n'
          % (pad, ppno, iso(issue), iso(expiry), ">" if inner else "/>"))
        if inner:
            for x in inner:
                w(x)
            w('%s  </passport>\n' % pad)
        vfrom = dep_date - datetime.timedelta(days=10)
        if workers:
            w('%s  <visa country="SAU" category="WORK" form="sticker" entries="single"'
              ' valid-from="%s" valid-until="%s">\n'
              % (pad, iso(vfrom), iso(vfrom + datetime.timedelta(days=89))))
            w('%s    <sponsor kind="employer" name="%s" country="SAU" city="%s" party="EMP-1"/>\n'
              % (pad, EMPLOYER[0], EMPLOYER[1]))
            w('%s  </visa>\n' % pad)
            pdate = dep_date - datetime.timedelta(days=12)
            perm = dep_date - datetime.timedelta(days=60)
            if planted.get("no-protector") != pid:
                w('%s  <emigration route="oep" protector-number="LAH-2026-%06d" protector-date="%s"'
                  ' protectorate="Protector of Emigrants, Lahore" oep-licence="%s" oep-name="%s"'
                  ' permission-number="PE-LAH-2026-0042" permission-date="%s" job-category="mason"'
                  ' employer="%s" country="SAU"/>\n'
                  % (pad, int(pid[1:]), iso(pdate), OEP_LICENCE, OEP_NAME, iso(perm), EMPLOYER[0]))
        else:
            w('%s  <visa country="SAU" category="UMRAH" form="evisa" entries="single" valid-from="%s"'
              ' valid-until="%s" stay-days="90"/>\n'
              % (pad, iso(vfrom), iso(vfrom + datetime.timedelta(days=89))))
        if planted.get("deported") == pid:
            w('%s  <travel-history deported="true">\n'
              '%s    <event kind="deported" country="GRC" date="2024-03-02"/>\n'
              '%s  </travel-history>\n' % (pad, pad, pad))
        elif adult:
            w('%s  <travel-history first-international-trip="false" previous-trips="%d"/>\n'
              % (pad, 1 + rng.below(2)))
        w('%s</passenger>\n' % pad)


def main(argv):
    args = list(argv[1:])
    opts = {"--shape": "families", "--group-size": "40", "--seed": str(DEFAULT_SEED)}
    flags = {"--plant": False, "--submission": False}
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in opts and i + 1 < len(args):
            opts[a] = args[i + 1]
            i += 2
        elif a in flags:
            flags[a] = True
            i += 1
        else:
            rest.append(a)
            i += 1
    usage = ("usage: gen_large_booking.py N OUT.xml [--shape phone|families|workers] [--plant]\n"
             "                            [--group-size G] [--submission] [--seed S]\n")
    if len(rest) != 2 or opts["--shape"] not in ("phone", "families", "workers"):
        sys.stderr.write(usage)
        return 2
    try:
        n = int(rest[0])
        group = int(opts["--group-size"])
        seed = int(opts["--seed"])
        if n < 1 or group < 1:
            raise ValueError
    except ValueError:
        sys.stderr.write("gen_large_booking.py: N, G and S must be whole numbers, N and G above 0\n")
        return 2

    b = Booking(n, opts["--shape"], flags["--plant"], group, seed)
    out = rest[1]
    # a regular file is written whole or not at all (through OUT.tmp); "-", a pipe or a
    # device is written as it is
    atomic = out != "-" and (not os.path.exists(out) or os.path.isfile(out))
    tmp = out + ".tmp" if atomic else None
    with (open(tmp, "w", encoding="utf-8", newline="\n") if atomic else
          (sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="\n"))) as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!-- A large booking for rahdari: gen_large_booking.py, %d travellers, shape %s,%s'
                ' parties of %d, seed %d. -->\n'
                % (n, opts["--shape"], " planted problems," if flags["--plant"] else "", group, seed))
        if flags["--submission"]:
            f.write('<submission xmlns="urn:rahdari:doc:1" id="LARGE-%d" period-from="2026-11-01"'
                    ' period-to="2026-11-30" bookings="1">\n' % n)
            b.write(f, 2)
            f.write('</submission>\n')
        else:
            b.write(f, 0)
    if atomic:
        os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
