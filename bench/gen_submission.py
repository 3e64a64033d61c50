#!/usr/bin/env python3
"""Generate a synthetic submission of travel bookings for the rahdari benchmark.

Usage: gen_submission.py N OUT.xml [--seed S]

Writes <submission xmlns="urn:rahdari:doc:1"> holding N <booking> records shaped
like examples/bookings/*.xml: an agency, a service, 1 to 4 passengers (names,
birth date, sex, nationality, CNIC, passport, visa), 1 to 4 flight segments,
hotels for some trips and one or two payments.

Most bookings are lawful. A few percent carry one of the problems that
bench/bench-11.sch looks for: a missing agency licence, a birth date that is not
a real date, a passport issued after it expires or expiring within six months of
the last flight, a visa not valid on arrival, an adult Pakistani without a CNIC,
one-way travel on a visit visa, a minor travelling alone, a large cash payment,
a hotel stay that ends before it starts and a flight that lands before it
departs.

The output depends only on the seed and the booking number: the random numbers
come from a small PRNG of our own (SplitMix64), not from the `random` module,
so every Python 3 writes the same bytes, and the first K bookings of a run with
N >= K are those of a run with N = K (a smaller file is a prefix of a larger).
Standard library only.
"""

import datetime
import os
import sys

DEFAULT_SEED = 20261201
MASK64 = (1 << 64) - 1


class Rng(object):
    """SplitMix64: tiny, fast enough, and the same on every Python."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """An integer in [0, n); the modulo bias is irrelevant for test data."""
        return self.next64() % n

    def between(self, lo, hi):
        """An integer in [lo, hi], both ends included."""
        return lo + self.below(hi - lo + 1)

    def chance(self, per_mille):
        """True with a probability of per_mille / 1000."""
        return self.below(1000) < per_mille

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, pairs):
        """pairs: [(value, weight), ...] with integer weights."""
        total = sum(w for _, w in pairs)
        r = self.below(total)
        for value, w in pairs:
            if r < w:
                return value
            r -= w
        return pairs[-1][0]


# ---------------------------------------------------------------- reference data

AGENCIES = [
    # name, licence, office, province
    ("Al-Noor Travels", "PB-LHR-2019-0412", "LHR-01", "PK-PB"),
    ("Shaheen Air Travel", "PB-GRW-2021-0090", "GRW-02", "PK-PB"),
    ("Star Travels", "SD-KHI-2016-1180", "KHI-01", "PK-SD"),
    ("Bismillah Tours", "SD-KHI-2020-0765", "KHI-04", "PK-SD"),
    ("Khyber Pass Travel", "KP-PEW-2018-0233", "PEW-01", "PK-KP"),
    ("Margalla Travel Services", "IS-ISB-2017-0051", "ISB-02", "PK-IS"),
    ("Indus Hajj and Umrah", "SD-HYD-2022-0310", "HYD-01", "PK-SD"),
    ("Multan Gateway Travels", "PB-MUX-2015-0888", "MUX-01", "PK-PB"),
    ("Sialkot Wings", "PB-SKT-2023-0147", "SKT-01", "PK-PB"),
    ("Quetta Caravan Tours", "BA-UET-2019-0062", "UET-01", "PK-BA"),
    ("Faisal Travel Network", "PB-LYP-2020-0521", "LYP-03", "PK-PB"),
    ("Mardan Air Link", "KP-MDN-2021-0114", "MDN-01", "PK-KP"),
    ("Rawal Express Travel", "PB-RWP-2018-0699", "RWP-02", "PK-PB"),
    ("Sea Breeze Travel", "SD-KHI-2024-0032", "KHI-07", "PK-SD"),
    ("Zam Zam Pilgrim Services", "PB-LHR-2016-1420", "LHR-05", "PK-PB"),
    ("Hazara Travel House", "KP-ABT-2022-0041", "ABT-01", "PK-KP"),
]

# home airports by province, so that an agency mostly sells from nearby
HOME_AIRPORTS = {
    "PK-PB": ["LHE", "LHE", "MUX", "SKT", "LYP", "ISB"],
    "PK-SD": ["KHI", "KHI", "KHI", "SKZ"],
    "PK-KP": ["PEW", "PEW", "ISB"],
    "PK-IS": ["ISB", "ISB", "LHE"],
    "PK-BA": ["UET", "KHI"],
}

# destinations: country, airports, visa categories of visitors, of migrants
DESTINATIONS = {
    "SAU": (["JED", "MED", "RUH", "DMM"], ["VISIT", "BUSINESS"], ["WORK"]),
    "ARE": (["DXB", "SHJ", "AUH"], ["VISIT", "TOURIST", "BUSINESS"], ["WORK"]),
    "QAT": (["DOH"], ["VISIT", "TOURIST"], ["WORK"]),
    "OMN": (["MCT"], ["VISIT"], ["WORK"]),
    "TUR": (["IST", "SAW"], ["TOURIST", "BUSINESS"], ["STUDENT"]),
    "GBR": (["LHR", "MAN", "BHX"], ["VISIT", "BUSINESS"], ["STUDENT", "WORK"]),
    "MYS": (["KUL"], ["TOURIST", "VISIT"], ["STUDENT", "WORK"]),
    "THA": (["BKK"], ["TOURIST"], []),
    "AZE": (["GYD"], ["TOURIST"], []),
    "CHN": (["PEK", "CAN"], ["BUSINESS", "TOURIST"], ["STUDENT"]),
    "IRQ": (["NJF", "BGW"], ["ZIARAT"], []),
}
VISIT_WEIGHTS = [("ARE", 30), ("SAU", 8), ("QAT", 6), ("OMN", 4), ("TUR", 10), ("GBR", 8),
                 ("MYS", 6), ("THA", 6), ("AZE", 5), ("CHN", 5), ("IRQ", 12)]
MIGRANT_WEIGHTS = [("SAU", 30), ("ARE", 25), ("QAT", 12), ("OMN", 8), ("GBR", 10), ("MYS", 8),
                   ("TUR", 4), ("CHN", 3)]

# carriers that fly direct from Pakistan to a country, and hubs with their carriers
DIRECT = {
    "SAU": ["PK", "SV", "XY", "PA", "9P"], "ARE": ["PK", "EK", "FZ", "G9", "PA", "9P", "EY"],
    "QAT": ["QR", "PK"], "OMN": ["WY", "PK"], "TUR": ["TK"], "GBR": ["PK"], "MYS": [],
    "THA": ["TG"], "AZE": [], "CHN": ["PK", "CZ"], "IRQ": ["PK"],
}
HUBS = [("EK", "DXB"), ("QR", "DOH"), ("TK", "IST"), ("EY", "AUH"), ("SV", "JED"), ("FZ", "DXB")]
HUB_COUNTRY = {"DXB": "ARE", "DOH": "QAT", "IST": "TUR", "AUH": "ARE", "JED": "SAU"}

MALE = ["MUHAMMAD", "AHMED", "ALI", "BILAL", "USMAN", "HAMZA", "SAJID", "IMRAN", "ZUBAIR", "FAISAL",
        "TARIQ", "ASIF", "KAMRAN", "NAVEED", "SHAHID", "ABDULLAH", "HASSAN", "HUSSAIN", "IRFAN",
        "WAQAS", "ADNAN", "JUNAID", "RIZWAN", "SALMAN", "YASIR", "ZAHID", "ABDUL RASHID",
        "GHULAM MUSTAFA", "MUHAMMAD ALI", "NAZIR AHMED"]
FEMALE = ["AYESHA", "FATIMA", "ZAINAB", "SANA", "MARYAM", "HIRA", "NADIA", "SAIMA", "RABIA", "KHADIJA",
          "AMNA", "SADIA", "NOOR", "IQRA", "MEHWISH", "SHAZIA", "BUSHRA", "TAHIRA", "ASMA", "UZMA"]
SURNAMES = ["KHAN", "AHMED", "HUSSAIN", "MALIK", "CHAUDHRY", "QURESHI", "SHEIKH", "BUTT", "AWAN",
            "RAJPUT", "JUTT", "MIRZA", "SIDDIQUI", "BALOCH", "YOUSAFZAI", "ABBASI", "RANA", "BHATTI",
            "GONDAL", "MEMON", "SOOMRO", "ANSARI", "NAQVI", "KAZMI"]
FOREIGN = ["AFG", "GBR", "USA", "CAN", "BGD", "IND", "NOR", "DEU"]

HOTELS = {
    "MAKKAH": ["Makkah Towers", "Hilton Suites Makkah", "Swissotel Al Maqam", "Elaf Ajyad", "Dar Al Eiman Royal"],
    "MADINAH": ["Madinah Oberoi", "Pullman Zamzam Madinah", "Dar Al Taqwa", "Anwar Al Madinah"],
    "DUBAI": ["Rove Downtown", "Ibis Al Rigga", "Citymax Bur Dubai"],
    "ISTANBUL": ["Sultanahmet Palace", "Grand Star Hotel"],
    "LONDON": ["Premier Inn Hounslow", "Ibis London Heathrow"],
    "KUALA LUMPUR": ["Hotel Stripes", "Ibis Styles KL"],
    "BANGKOK": ["Asia Hotel Bangkok", "Ibis Siam"],
    "BAKU": ["Central Park Hotel Baku"],
    "KARBALA": ["Karbala Rotana", "Al Kafeel Hotel"],
    "DOHA": ["Ezdan Hotel Doha"],
}
HOTEL_CITY = {"ARE": "DUBAI", "TUR": "ISTANBUL", "GBR": "LONDON", "MYS": "KUALA LUMPUR",
              "THA": "BANGKOK", "AZE": "BAKU", "IRQ": "KARBALA", "QAT": "DOHA"}

NON_IMMIGRANT = ("VISIT", "TOURIST", "UMRAH", "ZIARAT", "BUSINESS", "TRANSIT")

# How often each problem is planted, in per mille (of bookings, passengers, segments...).
RATE_NO_LICENCE = 30        # bookings: agency licence missing or blank
RATE_BAD_BIRTH_DATE = 15    # passengers: birth date that is not a real date
RATE_ISSUED_AFTER = 15      # passports: issue date after the expiry date
RATE_EXPIRES_SOON = 25      # passports: expiry within six months of the last flight
RATE_VISA_MISS = 22         # visas: not valid on the day the first flight lands
RATE_NO_CNIC = 20           # adult Pakistani passengers: CNIC missing or malformed
RATE_ONE_WAY_VISIT = 35     # visitors' bookings: no flight home
RATE_MINOR_ALONE = 20       # bookings: only minors travel
RATE_BIG_CASH = 30          # bookings: a cash payment above PKR 500000
RATE_HOTEL_BACKWARDS = 40   # hotels: check-out not after check-in
RATE_SEGMENT_BACKWARDS = 12 # segments: arrival before departure

ORIGIN_DATE = datetime.date(2026, 10, 1)


def iso(d):
    return "%04d-%02d-%02d" % (d.year, d.month, d.day)


def iso_dt(dt):
    return "%04d-%02d-%02dT%02d:%02d" % (dt.year, dt.month, dt.day, dt.hour, dt.minute)


def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def bad_date(rng, d):
    """A string of the shape of a date that is not a real date."""
    kind = rng.below(7)
    if kind == 0:
        return "%04d-02-30" % d.year
    if kind == 1:
        return "%04d-13-%02d" % (d.year, d.day)
    if kind == 2:
        return "%04d-00-%02d" % (d.year, d.day)
    if kind == 3:
        return "%04d-%02d-32" % (d.year, d.month)
    if kind == 4:
        return "%04d-%s-31" % (d.year, rng.pick(["04", "06", "09", "11"]))
    if kind == 5:
        year = d.year if d.year % 4 else d.year + 1
        return "%04d-02-29" % year
    return "%04d-%d-%d" % (d.year, d.month, d.day)  # no leading zeros


class Generator(object):
    def __init__(self, seed):
        self.rng = Rng(seed)
        self.created = ORIGIN_DATE
        self.last_created = ORIGIN_DATE

    # -------------------------------------------------------------- pieces

    def flight(self, carrier):
        return "%s%d" % (carrier, self.rng.between(100, 9899) if carrier != "PK" else self.rng.between(200, 899))

    def legs(self, frm, to, to_country, start):
        """Segments from frm to to leaving at datetime start: direct or via a hub."""
        rng = self.rng
        direct = DIRECT.get(to_country, [])
        if direct and (rng.chance(700) or to_country in ("SAU", "ARE", "QAT", "OMN")):
            carrier = rng.pick(direct)
            dur = rng.between(110, 300) if to_country in ("SAU", "ARE", "QAT", "OMN", "IRQ") \
                else rng.between(300, 560)
            return [(carrier, frm, to, start, start + datetime.timedelta(minutes=dur))]
        carrier, hub = rng.pick(HUBS)
        if hub == to or HUB_COUNTRY[hub] == to_country:
            carrier, hub = ("QR", "DOH") if to_country != "QAT" else ("EK", "DXB")
        a1 = start + datetime.timedelta(minutes=rng.between(120, 330))
        d2 = a1 + datetime.timedelta(minutes=5 * rng.between(18, 100))
        a2 = d2 + datetime.timedelta(minutes=rng.between(150, 480))
        return [(carrier, frm, hub, start, a1), (carrier, hub, to, d2, a2)]

    def person(self, sex, surname=None):
        rng = self.rng
        given = rng.pick(MALE if sex == "M" else FEMALE)
        surname = surname or rng.pick(SURNAMES)
        father = "%s %s" % (rng.pick(MALE), rng.pick(SURNAMES) if rng.chance(300) else surname)
        return given, surname, father

    def cnic(self):
        rng = self.rng
        return "%05d-%07d-%d" % (rng.pick([35202, 42101, 17301, 61101, 37405, 36302, 54400, 33100]),
                                 rng.between(0, 9999999), rng.between(1, 9))

    def passport_no(self):
        rng = self.rng
        return "%s%s%07d" % (chr(65 + rng.below(26)), chr(65 + rng.below(26)), rng.between(0, 9999999))

    # -------------------------------------------------------------- a booking

    def booking(self, index):
        rng = self.rng
        out = []
        w = out.append

        # about 220 bookings a day
        if rng.chance(5):
            self.created += datetime.timedelta(days=1)
        created = self.created
        self.last_created = created

        name, licence, office, province = rng.pick(AGENCIES)
        kind = rng.weighted([("umrah-package", 30), ("visit", 45), ("migrant", 25)])
        origin = rng.pick(HOME_AIRPORTS[province])

        if kind == "umrah-package":
            country, service = "SAU", "umrah-package"
            dest = "JED" if rng.chance(750) else "MED"
            category, stay_days, entries = "UMRAH", 90, "single"
        elif kind == "visit":
            country = rng.weighted(VISIT_WEIGHTS)
            dest = rng.pick(DESTINATIONS[country][0])
            category = rng.pick(DESTINATIONS[country][1])
            service = "ziarat-package" if category == "ZIARAT" else rng.weighted(
                [("air-ticket", 80), ("tour-outbound", 20)])
            stay_days = rng.pick([30, 30, 60, 90]) if country != "GBR" else 180
            entries = rng.pick(["single", "single", "multiple"])
        else:
            country = rng.weighted(MIGRANT_WEIGHTS)
            if not DESTINATIONS[country][2]:
                country = "SAU"
            dest = rng.pick(DESTINATIONS[country][0])
            category = rng.pick(DESTINATIONS[country][2])
            service = rng.weighted([("air-ticket", 70), ("visa-assistance", 30)])
            stay_days = 730 if category == "WORK" else 365
            entries = "multiple"

        # ---- the journey
        first_dep = datetime.datetime(created.year, created.month, created.day) + datetime.timedelta(
            days=rng.between(2, 90), minutes=5 * rng.between(0, 287))
        segs = self.legs(origin, dest, country, first_dep)
        arrive = segs[-1][4]
        stay = rng.between(7, 45) if kind != "umrah-package" else rng.between(10, 28)
        one_way = kind == "migrant"
        if category in NON_IMMIGRANT and rng.chance(RATE_ONE_WAY_VISIT):
            one_way = True
        home_from = dest
        if kind == "umrah-package" and dest == "JED" and rng.chance(500):
            home_from = "MED"  # in at Jeddah, out of Madinah
        if not one_way:
            back = datetime.datetime(arrive.year, arrive.month, arrive.day) + datetime.timedelta(
                days=stay, minutes=5 * rng.between(0, 287))
            segs += self.legs_back(home_from, origin, country, back)
        segs = segs[:4]
        last_dep = segs[-1][3]

        # ---- passengers
        npax = rng.weighted([(1, 80), (2, 12), (3, 5), (4, 3)])
        minor_alone = rng.chance(RATE_MINOR_ALONE)
        if minor_alone:
            npax = 1 if rng.chance(800) else 2
        family = rng.pick(SURNAMES)
        dep_date = first_dep.date()
        pax = []
        for p in range(npax):
            if minor_alone:
                age_days = rng.between(8 * 365, 17 * 365 + 300)
            elif p == 0 or (kind == "migrant") or rng.chance(450):
                age_days = rng.between(18 * 365 + 10, 72 * 365)
            else:
                age_days = rng.between(60, 17 * 365 + 300)
            birth = dep_date - datetime.timedelta(days=age_days)
            adult = age_days >= 18 * 365 + 10
            sex = rng.pick("MF") if p > 0 or kind == "umrah-package" else rng.weighted([("M", 80), ("F", 20)])
            given, surname, father = self.person(sex, family if p > 0 and rng.chance(700) else None)
            nationality = "PAK" if rng.chance(930) else rng.pick([c for c in FOREIGN if c != country])
            birth_s = iso(birth) if not rng.chance(RATE_BAD_BIRTH_DATE) else bad_date(rng, birth)
            cnic = None
            if nationality == "PAK" and adult:
                cnic = self.cnic()
                if rng.chance(RATE_NO_CNIC):
                    cnic = rng.pick([None, cnic.replace("-", ""), cnic[:-2], ""])
            elif nationality == "PAK" and rng.chance(100):
                cnic = self.cnic()  # a B-form number, given for some children

            # passport
            years = 10 if adult else 5
            issue = created - datetime.timedelta(days=rng.between(0, years * 365 - 400))
            expiry = add_years(issue, years) - datetime.timedelta(days=1)
            if rng.chance(RATE_EXPIRES_SOON):
                expiry = last_dep.date() + datetime.timedelta(days=rng.between(-30, 170))
                issue = add_years(expiry, -years) + datetime.timedelta(days=1)
            if rng.chance(RATE_ISSUED_AFTER):
                issue = expiry + datetime.timedelta(days=rng.between(1, 400))

            # visa
            vfrom = dep_date - datetime.timedelta(days=rng.between(0, 20))
            vuntil = vfrom + datetime.timedelta(days=stay_days)
            if rng.chance(RATE_VISA_MISS):
                land = segs[0][4].date()
                if rng.chance(500):
                    vfrom = land + datetime.timedelta(days=rng.between(1, 15))
                    vuntil = vfrom + datetime.timedelta(days=stay_days)
                else:
                    vuntil = land - datetime.timedelta(days=rng.between(1, 60))
                    vfrom = vuntil - datetime.timedelta(days=stay_days)

            pax.append((p + 1, given, surname, father, birth_s, sex, nationality, cnic,
                        self.passport_no(), nationality, iso(issue), iso(expiry),
                        iso(vfrom), iso(vuntil)))

        # ---- hotels
        hotels = []
        if len(segs) > 1 and not one_way:
            check_in = arrive.date()
            check_out = segs[-1][3].date() if segs[-1][2] == origin else check_in
            # the departure home is the first segment that leaves the destination
            for s in segs:
                if s[1] == home_from:
                    check_out = s[3].date()
                    break
            if kind == "umrah-package":
                if rng.chance(400) and (check_out - check_in).days >= 4:
                    split = check_in + datetime.timedelta(days=rng.between(2, (check_out - check_in).days - 2))
                    hotels.append(("MAKKAH", check_in, split))
                    hotels.append(("MADINAH", split, check_out))
                else:
                    hotels.append(("MAKKAH", check_in, check_out))
            elif country in HOTEL_CITY and rng.chance(250):
                hotels.append((HOTEL_CITY[country], check_in, check_out))

        # ---- payments
        per_head = {"umrah-package": 380000, "visit": 210000, "migrant": 160000}[kind]
        total = per_head * npax + 1000 * rng.between(-40, 120) * npax
        pays = []
        if rng.chance(250) and total > 100000:
            first = (total // 2 // 1000) * 1000
            parts = [first, total - first]
        else:
            parts = [total]
        for amount in parts:
            method = rng.weighted([("BANK", 45), ("CARD", 38), ("CASH", 17)])
            if method == "CASH" and amount > 500000:
                method = "BANK"
            pays.append([rng.pick(["P1", "P1", "P1", "EXT-1"]), method, amount])
        if rng.chance(RATE_BIG_CASH):
            victim = pays[rng.below(len(pays))]
            victim[1] = "CASH"
            victim[2] = max(victim[2], 1000 * rng.between(501, 3000))

        # ---- write it
        w('  <booking id="BK-%04d-%06d" created="%s">\n' % (created.year, index, iso(created)))
        if rng.chance(RATE_NO_LICENCE):
            lic = ' licence=""' if rng.chance(300) else ""
        else:
            lic = ' licence="%s"' % licence
        w('    <agency name="%s"%s office="%s" province="%s"/>\n' % (esc(name), lic, office, province))
        w('    <service type="%s"/>\n' % service)
        for (pid, given, surname, father, birth_s, sex, nat, cnic, ppno, state, issue, expiry,
             vfrom, vuntil) in pax:
            w('    <passenger id="P%d">\n' % pid)
            w('      <surname>%s</surname>\n' % surname)
            w('      <given-names>%s</given-names>\n' % given)
            w('      <father-name>%s</father-name>\n' % father)
            w('      <birth-date>%s</birth-date>\n' % birth_s)
            w('      <sex>%s</sex>\n' % sex)
            w('      <nationality>%s</nationality>\n' % nat)
            if cnic is not None:
                w('      <cnic>%s</cnic>\n' % cnic)
            w('      <passport number="%s" issuing-state="%s" issue-date="%s" expiry-date="%s"/>\n'
              % (ppno, state, issue, expiry))
            w('      <visa country="%s" category="%s" entries="%s" valid-from="%s" valid-until="%s"'
              ' stay-days="%d"/>\n' % (country, category, entries, vfrom, vuntil, stay_days))
            w('    </passenger>\n')
        for carrier, frm, to, dep, arr in segs:
            if rng.chance(RATE_SEGMENT_BACKWARDS):
                arr = dep - datetime.timedelta(minutes=5 * rng.between(12, 288))
            w('    <segment carrier="%s" flight="%s" from="%s" to="%s" departure="%s" arrival="%s"/>\n'
              % (carrier, self.flight(carrier), frm, to, iso_dt(dep), iso_dt(arr)))
        for city, cin, cout in hotels:
            if rng.chance(RATE_HOTEL_BACKWARDS):
                cout = cin - datetime.timedelta(days=rng.between(0, 6))
            w('    <hotel name="%s" city="%s" check-in="%s" check-out="%s" paid="%s" confirmation="%s-%05d"/>\n'
              % (esc(rng.pick(HOTELS[city])), city, iso(cin), iso(cout),
                 "true" if rng.chance(850) else "false", city[:2], rng.between(0, 99999)))
        for payer, method, amount in pays:
            w('    <payment payer="%s" method="%s" amount="%d" currency="PKR"/>\n' % (payer, method, amount))
        w('  </booking>\n')
        return "".join(out)

    def legs_back(self, frm, to, country, start):
        """The flights home from country: direct with a carrier serving it, or via a hub."""
        rng = self.rng
        direct = DIRECT.get(country, [])
        if direct and (rng.chance(700) or country in ("SAU", "ARE", "QAT", "OMN")):
            carrier = rng.pick(direct)
            dur = rng.between(110, 300) if country in ("SAU", "ARE", "QAT", "OMN", "IRQ") \
                else rng.between(300, 560)
            return [(carrier, frm, to, start, start + datetime.timedelta(minutes=dur))]
        carrier, hub = rng.pick(HUBS)
        if hub == frm or HUB_COUNTRY[hub] == country:
            carrier, hub = ("QR", "DOH") if country != "QAT" else ("EK", "DXB")
        a1 = start + datetime.timedelta(minutes=rng.between(150, 480))
        d2 = a1 + datetime.timedelta(minutes=5 * rng.between(18, 100))
        a2 = d2 + datetime.timedelta(minutes=rng.between(120, 330))
        return [(carrier, frm, hub, start, a1), (carrier, hub, to, d2, a2)]


def main(argv):
    args = list(argv[1:])
    seed = DEFAULT_SEED
    if "--seed" in args:
        i = args.index("--seed")
        try:
            seed = int(args[i + 1])
        except (IndexError, ValueError):
            sys.stderr.write("gen_submission.py: --seed needs an integer\n")
            return 2
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write("usage: gen_submission.py N OUT.xml [--seed S]\n")
        return 2
    try:
        n = int(args[0])
        if n < 0:
            raise ValueError
    except ValueError:
        sys.stderr.write("gen_submission.py: N must be a whole number\n")
        return 2

    gen = Generator(seed)
    body = [gen.booking(i + 1) for i in range(n)]
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!-- Synthetic bookings for the rahdari benchmark: gen_submission.py %d (seed %d). -->\n'
            '<submission xmlns="urn:rahdari:doc:1" id="BENCH-%d"'
            ' period-from="%s" period-to="%s">\n'
            '  <agency name="Pakistan Travel Returns Desk"/>\n'
            % (n, seed, n, iso(ORIGIN_DATE), iso(gen.last_created)))
    tmp = args[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(head)
        f.writelines(body)
        f.write("</submission>\n")
    os.replace(tmp, args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
