#!/usr/bin/env python3
"""Generate a synthetic submission of travel bookings for the rahdari benchmarks.

Usage: gen_submission.py N OUT.xml [--seed S] [--distinct]

Writes <submission xmlns="urn:rahdari:doc:1"> holding N <booking> records shaped
like examples/bookings/*.xml and examples/submissions/lahore-2026-q4.xml: the
selling agency and office, the services sold, the booker and a contact, 1 to 4
passengers (names, father's name, birth date, sex, nationality, CNIC, home
district, family relationships, passport and often its machine-readable zone,
visa with its sponsor, a Protector of Emigrants registration for workers, travel
history, a parent's consent for a child travelling alone), the party who pays
when it is not a passenger, 1 to 4 flight segments, hotels, an Umrah package with
its parts and instalments, payments and remarks.

The data is meant to be lawful and clean under the embedded `pk` rule pack
(rahdari check --as-of 2026-12-01): the agencies, offices, fields of operation,
Hajj/Umrah (MoRA) and OEP licences are those of rules/pk/tables/licence-register.csv;
bookings are made between 1 October and 30 November 2026, inside every licence's
validity; CNIC gender digits match the holder's sex; children travel with a
parent (or, alone, with a parent's consent); workers are registered with a
Protector of Emigrants through the licensed promoter; stays fit the visa; hotels
are paid and confirmed; whoever pays is a passenger or a declared relative or
employer. Every file validates against rules/pk/schemas/submission.xsd.

Two kinds of problems are planted on top:

* the eleven of bench/bench-11.sch (bench/run.sh compares rahdari, xmllint and
  lxml on them), each on about 2 to 3.5 % of the bookings: a missing agency
  licence, a birth date not in the form YYYY-MM-DD (written with a time-zone
  suffix, which XML Schema allows in an xs:date), a passport issued after it
  expires or expiring within six months of the last flight, a visa not valid on
  arrival, an adult Pakistani without a CNIC of the form 99999-9999999-9,
  one-way travel on a visit visa, a minor travelling alone, a large cash
  payment, a hotel stay that ends before it starts and a flight that lands
  before it departs. Many of them are breaches or red flags under `pk` too.
* a few genuine problems and red flags of the `pk` pack, each rare (RATE_PK_*
  below, in all about 3 % of the bookings): a sale under an expired licence or
  from a branch not endorsed for Umrah, a worker leaving without Protector
  registration, help with a work visa by an agency with no OEP licence, a young
  woman recruited as a domestic worker, an overstay, a payer nobody declared, an
  unpaid hotel, a student visa with no admission reference, an earlier
  deportation, a CNIC or an MRZ whose sex disagrees with the passenger's, a
  remark that someone else holds the passports.

The output depends only on the seed and the booking number: the random numbers
come from a small PRNG of our own (SplitMix64), not from the `random` module,
so every Python 3 writes the same bytes, and the first K bookings of a run with
N >= K are those of a run with N = K (a smaller file is a prefix of a larger).
Standard library only; about 150,000 bookings a minute.

--distinct makes every booking a group of its own for the audit's text and html
reports, as a hostile submission could: booking i is sold by agency DST-i (its own
licence, name and office), on a route of its own (its first segment flies between
two made-up airport codes) and on a day of its own (i days before 2026-12-01). Only
the written values change, not the random numbers, so the rest of each booking is
the same as without the option. For measuring the reports' memory (bench/README.md).
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

# The selling offices: the travel-agency licences of rules/pk/tables/licence-register.csv
# (the rules treat any other number as unknown), with the fields of operation the
# register grants each office. Al-Noor also holds the MoRA Umrah licence of the register.
# name, licence, office, province, district, fields, home airports, CNIC prefixes, weight
OFFICES = [
    ("Al-Noor Travels", "PB-LHR-2019-0412", "LHR-01", "PK-PB", "Lahore", "abde",
     ["LHE", "LHE", "LHE", "LHE", "SKT", "LYP", "ISB"], [35202, 35202, 35201, 34603, 33100, 61101], 45),
    ("Al-Noor Travels", "PB-LHR-2019-0412", "GRW-01", "PK-PB", "Gujranwala", "ad",
     ["LHE", "LHE", "SKT"], [34101, 34101, 34104, 34603, 35202], 15),
    ("Star Travels", "SD-KHI-2016-1180", "KHI-01", "PK-SD", "Karachi", "abd",
     ["KHI"], [42101, 42201, 42301, 42401, 42501], 30),
    ("Star Travels", "SD-KHI-2016-1180", "HYD-01", "PK-SD", "Hyderabad", "abd",
     ["KHI"], [41303, 41304, 42101, 45504], 10),
]
OFFICE_WEIGHTS = [(o, o[-1]) for o in OFFICES]
# A licence of the register whose status is EXPIRED (genuine problem: PK-LIC-003).
EXPIRED_OFFICE = ("Falak Travel & Tours", "PB-RWP-2018-0227", "RWP-01", "PK-PB", "Rawalpindi", "ab",
                  ["ISB"], [37405, 37406, 61101], 0)
MORA_LICENCE = "MORA-UMR-2024-0417"   # Al-Noor's, category UMRAH
OEP_LICENCE = "2198/LHR"              # the register's Overseas Employment Promoter
OEP_NAME = "Al-Mansoor Overseas Employment Promoters"
CNIC_DISTRICT = {35202: "Lahore", 35201: "Lahore", 34603: "Sialkot", 33100: "Faisalabad",
                 61101: "Islamabad", 34101: "Gujranwala", 34104: "Gujranwala", 42101: "Karachi",
                 42201: "Karachi", 42301: "Karachi", 42401: "Karachi", 42501: "Karachi",
                 41303: "Hyderabad", 41304: "Hyderabad", 45504: "Sukkur", 37405: "Rawalpindi",
                 37406: "Rawalpindi"}
PROTECTORATE = {"LHE": "Lahore", "SKT": "Sialkot", "LYP": "Faisalabad", "ISB": "Rawalpindi",
                "KHI": "Karachi"}

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
WORK_WEIGHTS = [("SAU", 38), ("ARE", 30), ("QAT", 12), ("OMN", 8), ("GBR", 6), ("MYS", 6)]
STUDENT_WEIGHTS = [("GBR", 40), ("MYS", 20), ("TUR", 15), ("CHN", 25)]

# Visa terms by country and category: days of validity from valid-from, longest
# stay in days (None: not stated), entries, form.
VISA_TERMS = {
    ("SAU", "UMRAH"): (90, 90, "single", "evisa"),
    ("SAU", "VISIT"): (365, 90, "multiple", "evisa"),
    ("SAU", "BUSINESS"): (365, 90, "multiple", "evisa"),
    ("ARE", "VISIT"): (60, 30, "single", "evisa"),
    ("ARE", "TOURIST"): (60, 30, "single", "evisa"),
    ("ARE", "BUSINESS"): (60, 60, "multiple", "evisa"),
    ("QAT", "VISIT"): (30, 30, "single", "evisa"),
    ("QAT", "TOURIST"): (30, 30, "single", "evisa"),
    ("OMN", "VISIT"): (30, 30, "single", "evisa"),
    ("TUR", "TOURIST"): (180, 30, "multiple", "evisa"),
    ("TUR", "BUSINESS"): (180, 30, "multiple", "sticker"),
    ("GBR", "VISIT"): (180, 180, "multiple", "sticker"),
    ("GBR", "BUSINESS"): (180, 180, "multiple", "sticker"),
    ("MYS", "TOURIST"): (90, 30, "single", "evisa"),
    ("MYS", "VISIT"): (90, 30, "single", "evisa"),
    ("THA", "TOURIST"): (90, 60, "single", "sticker"),
    ("AZE", "TOURIST"): (90, 30, "single", "evisa"),
    ("CHN", "BUSINESS"): (90, 30, "single", "sticker"),
    ("CHN", "TOURIST"): (90, 30, "single", "sticker"),
    ("IRQ", "ZIARAT"): (60, 30, "single", "evisa"),
}
WORK_TERMS = (90, None, "single", "sticker")
STUDENT_TERMS = (400, None, "multiple", "sticker")

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

# hotels by the city of the destination airport
AIRPORT_CITY = {"JED": "MAKKAH", "MED": "MADINAH", "RUH": "RIYADH", "DMM": "DAMMAM",
                "DXB": "DUBAI", "SHJ": "SHARJAH", "AUH": "ABU DHABI", "DOH": "DOHA", "MCT": "MUSCAT",
                "IST": "ISTANBUL", "SAW": "ISTANBUL", "LHR": "LONDON", "MAN": "MANCHESTER",
                "BHX": "BIRMINGHAM", "KUL": "KUALA LUMPUR", "BKK": "BANGKOK", "GYD": "BAKU",
                "PEK": "BEIJING", "CAN": "GUANGZHOU", "NJF": "NAJAF", "BGW": "KARBALA"}
HOTELS = {
    "MAKKAH": ["Makkah Towers", "Hilton Suites Makkah", "Swissotel Al Maqam", "Elaf Ajyad", "Dar Al Eiman Royal"],
    "MADINAH": ["Madinah Oberoi", "Pullman Zamzam Madinah", "Dar Al Taqwa", "Anwar Al Madinah"],
    "RIYADH": ["Novotel Riyadh Al Anoud", "Holiday Inn Riyadh Izdihar"],
    "DAMMAM": ["Park Inn Dammam", "Golden Tulip Dammam"],
    "DUBAI": ["Rove Downtown", "Ibis Al Rigga", "Citymax Bur Dubai"],
    "SHARJAH": ["Citymax Sharjah", "Ibis Sharjah"],
    "ABU DHABI": ["Aloft Abu Dhabi", "Ibis Abu Dhabi Gate"],
    "DOHA": ["Ezdan Hotel Doha", "Ibis Doha"],
    "MUSCAT": ["Ibis Muscat", "Citadines Al Ghubrah"],
    "ISTANBUL": ["Sultanahmet Palace", "Grand Star Hotel"],
    "LONDON": ["Premier Inn Hounslow", "Ibis London Heathrow"],
    "MANCHESTER": ["Premier Inn Manchester Central"],
    "BIRMINGHAM": ["Ibis Birmingham Centre"],
    "KUALA LUMPUR": ["Hotel Stripes", "Ibis Styles KL"],
    "BANGKOK": ["Asia Hotel Bangkok", "Ibis Siam"],
    "BAKU": ["Central Park Hotel Baku"],
    "BEIJING": ["Novotel Beijing Peace"],
    "GUANGZHOU": ["Guangzhou Grand International Hotel"],
    "NAJAF": ["Qasr Al Dur Hotel", "Najaf Grand Hotel"],
    "KARBALA": ["Karbala Rotana", "Al Kafeel Hotel"],
}

EMPLOYERS = {
    "SAU": [("AL-FAHAD CONTRACTING EST.", "RIYADH"), ("SAUDI BINLADIN GROUP", "JEDDAH"),
            ("ALMARAI COMPANY", "RIYADH"), ("AL-KHODARI SONS", "DAMMAM")],
    "ARE": [("EMRILL SERVICES LLC", "DUBAI"), ("ARABTEC CONSTRUCTION", "ABU DHABI"),
            ("AL NABOODAH GROUP", "DUBAI")],
    "QAT": [("QATAR BUILDING COMPANY", "DOHA"), ("AL JABER ENGINEERING", "DOHA")],
    "OMN": [("GALFAR ENGINEERING", "MUSCAT")],
    "GBR": [("BARTS HEALTH NHS TRUST", "LONDON"), ("MANCHESTER UNIVERSITY NHS TRUST", "MANCHESTER")],
    "MYS": [("TOP GLOVE SDN BHD", "KLANG"), ("SIME DARBY PLANTATION", "KUALA LUMPUR")],
}
JOBS_MALE = ["labourer", "mason", "driver", "electrician", "plumber", "welder", "cook",
             "security-guard", "steel-fixer", "carpenter"]
JOBS_FEMALE = ["nurse", "domestic-worker", "beautician", "teacher"]
INSTITUTIONS = {
    "GBR": [("UNIVERSITY OF SALFORD", "MANCHESTER"), ("COVENTRY UNIVERSITY", "COVENTRY"),
            ("UNIVERSITY OF HERTFORDSHIRE", "HATFIELD")],
    "MYS": [("UNIVERSITI TEKNOLOGI MALAYSIA", "JOHOR BAHRU"), ("ASIA PACIFIC UNIVERSITY", "KUALA LUMPUR")],
    "TUR": [("ISTANBUL UNIVERSITY", "ISTANBUL"), ("MIDDLE EAST TECHNICAL UNIVERSITY", "ANKARA")],
    "CHN": [("TSINGHUA UNIVERSITY", "BEIJING"), ("SUN YAT-SEN UNIVERSITY", "GUANGZHOU")],
}
REMARKS = ["Wheelchair assistance requested at arrival.", "Vegetarian meals requested.",
           "Window seats requested for the family.", "Passenger prefers the morning flight.",
           "Ticket reissued after a schedule change by the airline."]

NON_IMMIGRANT = ("VISIT", "TOURIST", "UMRAH", "ZIARAT", "BUSINESS", "TRANSIT")

# How often each bench-11 problem is planted, in per mille (of bookings, passengers,
# segments...). bench/README.md explains them; bench/run.sh counts them.
RATE_NO_LICENCE = 30        # bookings: agency licence missing
RATE_BAD_BIRTH_DATE = 15    # passengers: birth date not in the form YYYY-MM-DD
RATE_ISSUED_AFTER = 15      # passports: issue date after the expiry date
RATE_EXPIRES_SOON = 25      # passports: expiry within six months of the last flight
RATE_VISA_MISS = 22         # visas: not valid on the day the first flight lands
RATE_NO_CNIC = 20           # adult Pakistani passengers: CNIC missing or not 99999-9999999-9
RATE_ONE_WAY_VISIT = 35     # visitors' bookings: no flight home
RATE_MINOR_ALONE = 20       # bookings: only minors travel
RATE_BIG_CASH = 30          # bookings: a cash payment above PKR 500000
RATE_HOTEL_BACKWARDS = 40   # hotels: check-out not after check-in
RATE_SEGMENT_BACKWARDS = 12 # segments: arrival before departure

# Genuine problems and red flags of the pk pack, in per mille, each rare.
RATE_PK_EXPIRED_LICENCE = 2     # bookings: sold under an EXPIRED licence (PK-LIC-003)
RATE_PK_UMRAH_AT_BRANCH = 15    # Umrah bookings of a branch without field (e): sold as a package (PK-LIC-009)
RATE_PK_NO_PROTECTOR = 15       # workers: no Protector of Emigrants registration (PK-EMIG-001)
RATE_PK_WORK_VISA_HELP = 12     # work bookings: visa assistance without an OEP licence (PK-LIC-015)
RATE_PK_YOUNG_DOMESTIC = 60     # women domestic workers: under the minimum age (PK-EMIG-003)
RATE_PK_OVERSTAY = 4            # return trips: the stay exceeds the visa's (PK-DOC-005)
RATE_PK_UNDECLARED_PAYER = 5    # bookings: paid by a party nobody declared (PK-RISK-009)
RATE_PK_UNPAID_HOTEL = 5        # hotels: not paid (PK-RISK-002)
RATE_PK_NO_ADMISSION = 40       # student visas: no admission reference (PK-RISK-021)
RATE_PK_DEPORTED = 2            # adult passengers: deported before (PK-RISK-022)
RATE_PK_CNIC_SEX = 2            # CNICs: gender digit of the other sex (PK-DOC-031)
RATE_PK_MRZ_SEX = 3             # passport MRZs: sex altered (PK-DOC-013)
RATE_PK_PASSPORT_REMARK = 1     # bookings: a remark that someone holds the passports (PK-RISK-019)
# Not problems: how often optional facts are recorded.
RATE_MINOR_CONSENT = 500        # minors travelling alone: a parent's attested consent
RATE_PASSPORT_MRZ = 350         # passports: the machine-readable zone
RATE_VISA_MRZ = 150             # visas: the machine-readable zone

ORIGIN_DATE = datetime.date(2026, 10, 1)   # bookings are made from this day...
PERIOD_END = datetime.date(2026, 11, 30)   # ...to this one, then again from the first
ONE_DAY = datetime.timedelta(days=1)


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
    """The date with a time-zone suffix: a valid xs:date, but not YYYY-MM-DD."""
    return iso(d) + rng.pick(["Z", "+05:00", "+05:00", "+00:00"])


# ---------------------------------------------------------------- machine-readable zones

MRZ_VALUE = dict((c, i) for i, c in enumerate("0123456789"))
MRZ_VALUE.update((chr(65 + i), 10 + i) for i in range(26))
MRZ_VALUE["<"] = 0


def check_digit(s):
    weights = (7, 3, 1)
    total = 0
    for i, c in enumerate(s):
        total += MRZ_VALUE[c] * weights[i % 3]
    return "%d" % (total % 10)


def yymmdd(d):
    return "%02d%02d%02d" % (d.year % 100, d.month, d.day)


def mrz_name(surname, given):
    name = surname.replace(" ", "<") + "<<" + given.replace(" ", "<")
    return (name + "<" * 39)[:39]


def passport_mrz(state, surname, given, number, nationality, birth, sex, expiry, cnic):
    """ICAO 9303 TD3: two lines of 44 characters."""
    line1 = "P" + ("P" if state == "PAK" else "<") + state + mrz_name(surname, given)
    num = (number + "<" * 9)[:9]
    opt = ((cnic or "").replace("-", "") + "<" * 14)[:14]
    b, e = yymmdd(birth), yymmdd(expiry)
    part = num + check_digit(num) + nationality
    tail = b + check_digit(b) + sex + e + check_digit(e) + opt + check_digit(opt)
    composite = check_digit(num + check_digit(num) + b + check_digit(b) + e + check_digit(e)
                            + opt + check_digit(opt))
    return line1, part + tail + composite


def visa_mrz(country, surname, given, number, nationality, birth, sex, until):
    """ICAO 9303 MRV-A: two lines of 44 characters."""
    line1 = "V<" + country + mrz_name(surname, given)
    num = (number + "<" * 9)[:9]
    b, u = yymmdd(birth), yymmdd(until)
    return line1, (num + check_digit(num) + nationality + b + check_digit(b) + sex + u
                   + check_digit(u) + "<" * 16)


# --distinct: the day of booking i is i days before this one
DISTINCT_LAST_DAY = datetime.date(2026, 12, 1)


def airport_code(n):
    """Three letters for 0 <= n < 26 ** 3 (AAA, AAB, ...): made-up airport codes."""
    return "".join(chr(65 + n // 26 ** k % 26) for k in (2, 1, 0))


def mrz_element(indent, lines):
    pad = " " * (indent + 2)
    return ("%s<mrz><![CDATA[\n%s%s\n%s%s\n%s]]></mrz>\n"
            % (" " * indent, pad, lines[0], pad, lines[1], " " * indent))


# ---------------------------------------------------------------- the generator

class Generator(object):
    def __init__(self, seed, distinct=False):
        self.rng = Rng(seed)
        self.created = ORIGIN_DATE
        self.distinct = distinct

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

    def cnic(self, prefixes, sex):
        """A CNIC whose last digit gives the holder's sex: odd for men, even for women."""
        rng = self.rng
        if sex == "F":
            last = 2 * rng.between(1, 4)
        else:
            last = 2 * rng.between(0, 4) + 1
        if rng.chance(RATE_PK_CNIC_SEX):
            last = last + 1 if last < 9 else 8   # the other sex's digit
        return "%05d-%07d-%d" % (rng.pick(prefixes), rng.between(0, 9999999), last)

    def passport_no(self):
        rng = self.rng
        return "%s%s%07d" % (chr(65 + rng.below(26)), chr(65 + rng.below(26)), rng.between(0, 9999999))

    def phone(self):
        rng = self.rng
        return "+92 3%02d %07d" % (rng.between(0, 49), rng.between(0, 9999999))

    # -------------------------------------------------------------- who travels

    def party_of(self, kind, npax, minor_alone, dep_date, created):
        """The travellers as dicts: sex, given, surname, father, age_days, rel [(to, type)],
        consent (name, cnic sex) or None. P1 is the head of a family."""
        rng = self.rng
        # nobody is born after the booking was made
        youngest = (dep_date - created).days + 30
        pax = []
        if minor_alone:
            surname = rng.pick(SURNAMES)
            father = "%s %s" % (rng.pick(MALE), surname)
            consent = rng.chance(RATE_MINOR_CONSENT)
            for p in range(npax):
                sex = rng.pick("MF")
                pax.append({"sex": sex, "given": rng.pick(MALE if sex == "M" else FEMALE),
                            "surname": surname, "father": father,
                            "age": rng.between(max(8 * 365, youngest), 17 * 365 + 300),
                            "rel": [("P1", "sibling")] if p else [],
                            "consent": father if consent else None})
            return pax

        # the head of the party
        job = None
        if kind == "work":
            sex = rng.weighted([("M", 85), ("F", 15)])
            lo, hi = (25, 45) if sex == "F" else (20, 45)
            if sex == "F" and rng.chance(RATE_PK_YOUNG_DOMESTIC):
                lo, hi, job = 21, 24, "domestic-worker"
        elif kind == "student":
            sex = rng.weighted([("M", 70), ("F", 30)])
            lo, hi = 18, 28
        elif kind == "umrah":
            sex = rng.weighted([("M", 70), ("F", 30)])
            lo, hi = 28, 72
        else:
            sex = rng.weighted([("M", 75), ("F", 25)])
            lo, hi = 21, 65
        surname = rng.pick(SURNAMES)
        given = rng.pick(MALE if sex == "M" else FEMALE)
        grandfather = rng.pick(MALE)
        head = {"sex": sex, "given": given, "surname": surname,
                "father": "%s %s" % (grandfather, surname),
                "age": rng.between(lo * 365 + 10, hi * 365), "rel": [], "consent": None, "job": job}
        pax.append(head)
        if npax == 1:
            return pax

        if kind == "work":
            # fellow workers for the same employer: men, not related
            for p in range(1, npax):
                s = rng.pick(SURNAMES)
                pax.append({"sex": "M", "given": rng.pick(MALE), "surname": s,
                            "father": "%s %s" % (rng.pick(MALE), s),
                            "age": rng.between(20 * 365 + 10, 45 * 365), "rel": [], "consent": None})
            return pax

        # a family: a spouse, children, an adult sibling or a parent of the head
        head_full = "%s %s" % (given, surname)
        spouse = None
        children_father = None   # the children's father's full name
        for p in range(1, npax):
            pid = p + 1
            if p == 1 and head["age"] >= 22 * 365 and rng.chance(650):
                ssex = "F" if sex == "M" else "M"
                if ssex == "F":
                    record = rng.chance(900)
                    s = surname if (rng.chance(600) or not record) else rng.pick(["BIBI"] + SURNAMES)
                    sp = {"sex": "F", "given": rng.pick(FEMALE), "surname": s,
                          "father": "%s %s" % (rng.pick(MALE), rng.pick(SURNAMES)),
                          "rel": [("P1", "spouse")] if record else []}
                else:
                    sp = {"sex": "M", "given": rng.pick(MALE), "surname": surname,
                          "father": "%s %s" % (rng.pick(MALE), surname), "rel": [("P1", "spouse")]}
                sp["age"] = max(18 * 365 + 10, min(85 * 365, head["age"] + 365 * rng.between(-8, 8)))
                sp["consent"] = None
                pax.append(sp)
                spouse = pid
                continue
            role = rng.weighted([("child", 60), ("sibling", 20), ("parent", 20)])
            if role == "child" and head["age"] < 21 * 365:
                role = "sibling"
            if role == "parent" and head["age"] > 50 * 365:
                role = "child"
            if role == "child":
                csex = rng.pick("MF")
                if children_father is None:
                    if sex == "M":
                        children_father = head_full
                    elif spouse is not None:
                        children_father = "%s %s" % (pax[spouse - 1]["given"], pax[spouse - 1]["surname"])
                    else:
                        children_father = "%s %s" % (rng.pick(MALE), surname)
                oldest = min(head["age"] - 20 * 365, 40 * 365)
                rel = []
                # a mother's tie must be recorded; a father's shows in the father's name
                if sex == "F" or rng.chance(850):
                    rel.append(("P1", "father" if sex == "M" else "mother"))
                    if spouse is not None:
                        rel.append(("P%d" % spouse, "mother" if sex == "M" else "father"))
                pax.append({"sex": csex, "given": rng.pick(MALE if csex == "M" else FEMALE),
                            "surname": surname, "father": children_father,
                            "age": rng.between(min(max(365, youngest), oldest), oldest),
                            "rel": rel, "consent": None})
            elif role == "sibling":
                ssex = rng.pick("MF")
                pax.append({"sex": ssex, "given": rng.pick(MALE if ssex == "M" else FEMALE),
                            "surname": surname, "father": head["father"],
                            "age": max(18 * 365 + 10, head["age"] + 365 * rng.between(-6, 6)),
                            "rel": [("P1", "sibling")] if rng.chance(600) else [], "consent": None})
            else:
                psex = rng.pick("MF")
                age = min(85 * 365, head["age"] + 365 * rng.between(20, 35))
                if psex == "M":
                    pg, pf = grandfather, "%s %s" % (rng.pick(MALE), surname)
                else:
                    pg, pf = rng.pick(FEMALE), "%s %s" % (rng.pick(MALE), rng.pick(SURNAMES))
                pax.append({"sex": psex, "given": pg, "surname": surname, "father": pf, "age": age,
                            "rel": [("P1", "child")] if rng.chance(800) else [], "consent": None})
        return pax

    # -------------------------------------------------------------- a booking

    def booking(self, index):
        rng = self.rng
        out = []
        w = out.append

        # about 200 bookings a day, from 1 October to 30 November 2026, then again
        if rng.chance(5):
            self.created += ONE_DAY
            if self.created > PERIOD_END:
                self.created = ORIGIN_DATE
        created = self.created
        created_s = "%sT%02d:%02d" % (iso(created), rng.between(9, 20), 5 * rng.below(12))

        office = EXPIRED_OFFICE if rng.chance(RATE_PK_EXPIRED_LICENCE) else rng.weighted(OFFICE_WEIGHTS)
        name, licence, office_id, province, district, fields, homes, prefixes, _ = office
        kind = rng.weighted([("umrah", 30), ("visit", 45), ("work", 20), ("student", 5)])
        minor_alone = rng.chance(RATE_MINOR_ALONE)
        if minor_alone:
            kind = "visit"
        origin = rng.pick(homes)

        # ---- what is sold, where to, on which visa
        services = []
        mora = False
        if kind == "umrah":
            country, dest, category = "SAU", ("JED" if rng.chance(750) else "MED"), "UMRAH"
            if "e" in fields or (office_id == "GRW-01" and rng.chance(RATE_PK_UMRAH_AT_BRANCH)):
                services.append("umrah-package")
                mora = True
            else:
                services.append("air-ticket")
                if "d" in fields:
                    services.append("accommodation")
        elif kind == "visit":
            country = rng.weighted(VISIT_WEIGHTS)
            dest = rng.pick(DESTINATIONS[country][0])
            category = rng.pick(DESTINATIONS[country][1])
            if category == "ZIARAT" and "b" in fields:
                services.append("ziarat-package")
            elif category == "TOURIST" and "b" in fields and rng.chance(300):
                services.append("tour-outbound")
            else:
                services.append("air-ticket")
            if rng.chance(200):
                services.append("visa-assistance")
        elif kind == "work":
            country = rng.weighted(WORK_WEIGHTS)
            dest = rng.pick(DESTINATIONS[country][0])
            category = "WORK"
            services.append("air-ticket")
            if rng.chance(RATE_PK_WORK_VISA_HELP):
                services.append("visa-assistance")
        else:
            country = rng.weighted(STUDENT_WEIGHTS)
            dest = rng.pick(DESTINATIONS[country][0])
            category = "STUDENT"
            services.append("air-ticket")
            if rng.chance(500):
                services.append("visa-assistance")
        if category == "WORK":
            validity, stay_days, entries, form = WORK_TERMS
        elif category == "STUDENT":
            validity, stay_days, entries, form = STUDENT_TERMS
        else:
            validity, stay_days, entries, form = VISA_TERMS[(country, category)]

        # ---- the journey
        first_dep = datetime.datetime(created.year, created.month, created.day) + datetime.timedelta(
            days=rng.between(2, 90), minutes=5 * rng.between(0, 287))
        segs = self.legs(origin, dest, country, first_dep)
        arrive = segs[-1][4]
        if kind == "umrah":
            stay = rng.between(10, 28)
        elif stay_days:
            stay = rng.between(5, min(stay_days, 46) - 1)
            if rng.chance(RATE_PK_OVERSTAY) and stay_days <= 90:
                stay = stay_days + rng.between(3, 40)
        else:
            stay = rng.between(20, 60)
        one_way = kind in ("work", "student")
        if category in NON_IMMIGRANT and rng.chance(RATE_ONE_WAY_VISIT):
            one_way = True
        home_from = dest
        if kind == "umrah" and dest == "JED" and rng.chance(500):
            home_from = "MED"  # in at Jeddah, out of Madinah
        if not one_way:
            back = datetime.datetime(arrive.year, arrive.month, arrive.day) + datetime.timedelta(
                days=stay, minutes=5 * rng.between(0, 287))
            segs += self.legs_back(home_from, origin, country, back)
        segs = segs[:4]
        last_dep = segs[-1][3]
        dep_date = first_dep.date()

        # ---- who travels
        if kind == "work":
            npax = rng.weighted([(1, 90), (2, 8), (3, 2)])
        elif kind == "student":
            npax = 1
        else:
            npax = rng.weighted([(1, 70), (2, 17), (3, 8), (4, 5)])
        if minor_alone:
            npax = 1 if rng.chance(800) else 2
        people = self.party_of(kind, npax, minor_alone, dep_date, created)
        nationality = "PAK" if rng.chance(930) else rng.pick([c for c in FOREIGN if c != country])

        employer = rng.pick(EMPLOYERS[country]) if kind == "work" else None
        pax_xml = []
        for p, person in enumerate(people):
            pid = p + 1
            sex, given, surname, age_days = person["sex"], person["given"], person["surname"], person["age"]
            birth = dep_date - datetime.timedelta(days=age_days)
            adult = age_days >= 18 * 365 + 10
            bad_birth = rng.chance(RATE_BAD_BIRTH_DATE)
            birth_s = bad_date(rng, birth) if bad_birth else iso(birth)
            cnic = None
            if nationality == "PAK" and adult:
                cnic = self.cnic(prefixes, sex)
                if rng.chance(RATE_NO_CNIC):
                    # valid for the schema, not of the form 99999-9999999-9
                    cnic = rng.pick([None, cnic.replace("-", ""), cnic[:5] + cnic[6:], cnic[:13] + cnic[14:]])
            elif nationality == "PAK" and rng.chance(100):
                cnic = self.cnic(prefixes, sex)  # a B-form number, given for some children

            # passport: 10 years for adults, 5 for children, issued after birth
            years = 10 if adult else 5
            since = min(years * 365 - 400, (created - birth).days - 30)
            issue = created - datetime.timedelta(days=rng.between(0, since) if since > 0 else 0)
            expiry = add_years(issue, years) - ONE_DAY
            if rng.chance(RATE_EXPIRES_SOON):
                expiry = last_dep.date() + datetime.timedelta(days=rng.between(-30, 170))
                issue = add_years(expiry, -years) + ONE_DAY
            if rng.chance(RATE_ISSUED_AFTER):
                issue = expiry + datetime.timedelta(days=rng.between(1, 400))
            ppno = self.passport_no()

            # visa
            vfrom = dep_date - datetime.timedelta(days=rng.between(1, min(20, validity - 10)))
            vuntil = vfrom + datetime.timedelta(days=validity - 1)
            if rng.chance(RATE_VISA_MISS):
                land = segs[0][4].date()
                if rng.chance(500):
                    vfrom = land + datetime.timedelta(days=rng.between(1, 15))
                    vuntil = vfrom + datetime.timedelta(days=validity - 1)
                else:
                    vuntil = land - datetime.timedelta(days=rng.between(1, 60))
                    vfrom = vuntil - datetime.timedelta(days=validity - 1)

            x = []
            a = x.append
            a('    <passenger id="P%d">\n' % pid)
            a('      <surname>%s</surname>\n' % surname)
            a('      <given-names>%s</given-names>\n' % given)
            a('      <father-name>%s</father-name>\n' % person["father"])
            a('      <birth-date>%s</birth-date>\n' % birth_s)
            a('      <sex>%s</sex>\n' % sex)
            a('      <nationality>%s</nationality>\n' % nationality)
            if cnic is not None:
                a('      <cnic>%s</cnic>\n' % cnic)
                if adult and rng.chance(300):
                    a('      <district>%s</district>\n' % CNIC_DISTRICT[int(cnic[:5])])
            for to, rtype in person["rel"]:
                a('      <relationship to="%s" type="%s"/>\n' % (to, rtype))

            with_mrz = nationality == "PAK" and not bad_birth and rng.chance(RATE_PASSPORT_MRZ)
            a('      <passport number="%s" type="%s" issuing-state="%s" issue-date="%s" expiry-date="%s"%s\n'
              % (ppno, "PP" if nationality == "PAK" else "P", nationality, iso(issue), iso(expiry),
                 ">" if with_mrz else "/>"))
            if with_mrz:
                msex = sex
                if rng.chance(RATE_PK_MRZ_SEX):
                    msex = "F" if sex == "M" else "M"
                a(mrz_element(8, passport_mrz(nationality, surname, given, ppno, nationality, birth,
                                              msex, expiry, cnic)))
                a('      </passport>\n')

            visa_attrs = ('country="%s" category="%s" form="%s" entries="%s" valid-from="%s" valid-until="%s"'
                          % (country, category, form, entries, iso(vfrom), iso(vuntil)))
            if stay_days:
                visa_attrs += ' stay-days="%d"' % stay_days
            inner = []
            if nationality == "PAK" and not bad_birth and rng.chance(RATE_VISA_MRZ):
                inner.append(mrz_element(8, visa_mrz(country, surname, given, ppno, nationality, birth,
                                                     sex, vuntil)))
            if category == "STUDENT":
                inst, city = rng.pick(INSTITUTIONS[country])
                ref = ""
                if not rng.chance(RATE_PK_NO_ADMISSION):
                    ref = ' reference="%s%09d"' % (rng.pick(["CAS", "ADM", "OFR"]), rng.between(0, 999999999))
                inner.append('        <sponsor kind="institution" name="%s" country="%s" city="%s"%s/>\n'
                             % (inst, country, city, ref))
            elif category == "WORK":
                inner.append('        <sponsor kind="employer" name="%s" country="%s" city="%s"/>\n'
                             % (employer[0], country, employer[1]))
            elif category == "VISIT" and p == 0 and rng.chance(250):
                host = rng.pick(SURNAMES)
                inner.append('        <sponsor kind="family" name="%s %s" country="%s"/>\n'
                             % (rng.pick(MALE), host, country))
            if inner:
                a('      <visa %s>\n' % visa_attrs)
                x.extend(inner)
                a('      </visa>\n')
            else:
                a('      <visa %s/>\n' % visa_attrs)

            if category == "WORK" and not rng.chance(RATE_PK_NO_PROTECTOR):
                prot = PROTECTORATE.get(origin, "Lahore")
                pdate = dep_date - datetime.timedelta(days=rng.between(3, 25))
                if person.get("job"):
                    job = person["job"]
                elif sex == "F":
                    job = rng.pick(["nurse"] if country == "GBR" else JOBS_FEMALE)
                else:
                    job = rng.pick(["care-worker", "chef"] if country == "GBR" else JOBS_MALE)
                attrs = ('protector-number="%s-%d-%06d" protector-date="%s" protectorate="Protector of Emigrants, %s"'
                         % (prot[:3].upper(), pdate.year, rng.between(0, 999999), iso(pdate), prot))
                if country != "GBR" and rng.chance(800):
                    perm = dep_date - datetime.timedelta(days=rng.between(30, 110))
                    a('      <emigration route="oep" %s oep-licence="%s" oep-name="%s" permission-number="PE-%s-%d-%04d"'
                      ' permission-date="%s" job-category="%s" employer="%s" country="%s"/>\n'
                      % (attrs, OEP_LICENCE, OEP_NAME, prot[:3].upper(), perm.year, rng.between(0, 9999),
                         iso(perm), job, employer[0], country))
                else:
                    a('      <emigration route="direct" %s job-category="%s" employer="%s" country="%s"/>\n'
                      % (attrs, job, employer[0], country))
            if adult:
                if rng.chance(RATE_PK_DEPORTED):
                    a('      <travel-history deported="true">\n'
                      '        <event kind="deported" country="%s" date="%s"/>\n'
                      '      </travel-history>\n'
                      % (rng.pick(["GRC", "ITA", "ARE", "SAU", "OMN"]), iso(created - datetime.timedelta(days=rng.between(200, 2000)))))
                elif rng.chance(150):
                    a('      <travel-history first-international-trip="false" previous-trips="%d"/>\n'
                      % rng.between(1, 8))
            if person["consent"]:
                a('      <consent relationship="father" name="%s" cnic="%s" date="%s" attested="true"/>\n'
                  % (person["consent"], self.cnic(prefixes, "M"),
                     iso(created - datetime.timedelta(days=rng.between(0, 20)))))
            a('    </passenger>\n')
            pax_xml.append("".join(x))

        # ---- hotels
        hotels = []
        if len(segs) > 1 and not one_way:
            check_in = arrive.date()
            check_out = check_in
            # the departure home is the first segment that leaves the destination
            for s in segs:
                if s[1] == home_from:
                    check_out = s[3].date()
                    break
            if kind == "umrah":
                if rng.chance(400) and (check_out - check_in).days >= 4:
                    split = check_in + datetime.timedelta(days=rng.between(2, (check_out - check_in).days - 2))
                    hotels.append(("MAKKAH", check_in, split))
                    hotels.append(("MADINAH", split, check_out))
                else:
                    hotels.append(("MAKKAH" if dest == "JED" else "MADINAH", check_in, check_out))
            elif rng.chance({"ZIARAT": 1000, "TOURIST": 600, "BUSINESS": 500}.get(category, 200)):
                hotels.append((AIRPORT_CITY[dest], check_in, check_out))

        # ---- package and payments
        per_head = {"umrah": 380000, "visit": 210000, "work": 160000, "student": 190000}[kind]
        total = per_head * npax + 1000 * rng.between(-40, 120) * npax
        package = None
        if "umrah-package" in services:
            nights = (segs[-1][3].date() - arrive.date()).days if not one_way else 0
            parts = [("flight", total * rng.between(38, 46) // 100), ("hotel", total * rng.between(28, 36) // 100),
                     ("visa", 65000 * npax), ("transport", 15000 * npax)]
            inst = None
            if rng.chance(400):
                first = (total // 2 // 1000) * 1000
                due = dep_date - datetime.timedelta(days=rng.between(7, 20))
                inst = (first, total - first, iso(due))
            package = (nights, total, parts, inst)
        payer, party = "P1", None
        if kind == "work" and rng.chance(250):
            payer = "EXT-1"
            party = ('    <party id="EXT-1" kind="employer" name="%s" country="%s" city="%s"/>\n'
                     % (employer[0], country, employer[1]))
        elif kind != "work" and rng.chance(120):
            payer = "EXT-1"
            party = ('    <party id="EXT-1" kind="relative" name="%s %s" cnic="%s" phone="%s"/>\n'
                     % (rng.pick(MALE), people[0]["surname"], self.cnic(prefixes, "M"), self.phone()))
        if rng.chance(RATE_PK_UNDECLARED_PAYER):
            payer, party = "EXT-1", None
        pays = []
        if rng.chance(250) and total > 100000:
            first = (total // 2 // 1000) * 1000
            parts_paid = [first, total - first]
        else:
            parts_paid = [total]
        cash = 0
        for amount in parts_paid:
            method = rng.weighted([("BANK", 45), ("CARD", 38), ("CASH", 17)])
            if method == "CASH" and cash + amount > 500000:
                method = "BANK"
            if method == "CASH":
                cash += amount
            pays.append([payer, method, amount])
        if rng.chance(RATE_BIG_CASH):
            victim = pays[rng.below(len(pays))]
            victim[1] = "CASH"
            victim[2] = max(victim[2], 1000 * rng.between(501, 3000))

        # ---- write it
        if self.distinct:
            name, licence, office_id = "Agency %d" % index, "DST-%07d" % index, "OFF-%d" % index
            created_s = iso(DISTINCT_LAST_DAY - datetime.timedelta(days=index))
            carrier, frm, to, dep, arr = segs[0]
            segs = [(carrier, airport_code(index % 17576), airport_code(17575 - index // 17576 % 17576),
                     dep, arr)] + segs[1:]
        w('  <booking id="BK-%04d-%06d" created="%s">\n' % (created.year, index, created_s))
        lic = "" if rng.chance(RATE_NO_LICENCE) else ' licence="%s"' % licence
        w('    <agency name="%s"%s office="%s" province="%s" district="%s"%s/>\n'
          % (esc(name), lic, office_id, province, district,
             ' mora-licence="%s"' % MORA_LICENCE if mora else ""))
        for s in services:
            field = {"air-ticket": "a", "umrah-package": "e", "ziarat-package": "b",
                     "tour-outbound": "b", "accommodation": "d"}.get(s)
            if field and rng.chance(400):
                w('    <service type="%s" field="%s"/>\n' % (s, field))
            else:
                w('    <service type="%s"/>\n' % s)
        if rng.chance(400):
            w('    <booker passenger="P1"/>\n')
        if rng.chance(600):
            w('    <contact of="P1" kind="mobile" phone="%s"/>\n' % self.phone())
        out.extend(pax_xml)
        if party:
            w(party)
        for carrier, frm, to, dep, arr in segs:
            if rng.chance(RATE_SEGMENT_BACKWARDS):
                arr = dep - datetime.timedelta(minutes=5 * rng.between(12, 288))
            w('    <segment carrier="%s" flight="%s" from="%s" to="%s" departure="%s" arrival="%s"/>\n'
              % (carrier, self.flight(carrier), frm, to, iso_dt(dep), iso_dt(arr)))
        for city, cin, cout in hotels:
            if rng.chance(RATE_HOTEL_BACKWARDS):
                cout = cin - datetime.timedelta(days=rng.between(0, 6))
            paid = "false" if rng.chance(RATE_PK_UNPAID_HOTEL) else "true"
            w('    <hotel name="%s" city="%s" country="%s" check-in="%s" check-out="%s" paid="%s" confirmation="%s-%05d"/>\n'
              % (esc(rng.pick(HOTELS[city])), city, country, iso(cin), iso(cout), paid,
                 city[:2], rng.between(0, 99999)))
        if package:
            nights, price, parts, inst = package
            w('    <package name="Umrah %d nights" price="%d" currency="PKR" per="booking">\n' % (nights, price))
            for k, cost in parts:
                w('      <component kind="%s" cost="%d" currency="PKR"/>\n' % (k, cost))
            if inst:
                w('      <instalment amount="%d" currency="PKR" due-event="on-booking" paid="true"/>\n' % inst[0])
                w('      <instalment amount="%d" currency="PKR" due-date="%s" paid="true"/>\n' % (inst[1], inst[2]))
            w('    </package>\n')
        for payer_id, method, amount in pays:
            w('    <payment payer="%s" method="%s" amount="%d" currency="PKR"/>\n' % (payer_id, method, amount))
        if rng.chance(RATE_PK_PASSPORT_REMARK):
            w('    <remark by="counter staff">The group leader asked for the passports to be handed to him.</remark>\n')
        elif rng.chance(30):
            w('    <remark by="counter staff">%s</remark>\n' % rng.pick(REMARKS))
        w('  </booking>\n')
        return "".join(out)


def main(argv):
    args = list(argv[1:])
    seed = DEFAULT_SEED
    distinct = "--distinct" in args
    if distinct:
        args.remove("--distinct")
    if "--seed" in args:
        i = args.index("--seed")
        try:
            seed = int(args[i + 1])
        except (IndexError, ValueError):
            sys.stderr.write("gen_submission.py: --seed needs an integer\n")
            return 2
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write("usage: gen_submission.py N OUT.xml [--seed S] [--distinct]\n")
        return 2
    try:
        n = int(args[0])
        if n < 0:
            raise ValueError
    except ValueError:
        sys.stderr.write("gen_submission.py: N must be a whole number\n")
        return 2

    gen = Generator(seed, distinct)
    tmp = args[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!-- Synthetic bookings for the rahdari benchmark: gen_submission.py %d (seed %d%s). -->\n'
                '<submission xmlns="urn:rahdari:doc:1" id="BENCH-%d" period-from="%s" period-to="%s"'
                ' bookings="%d">\n'
                '  <agency name="Pakistan Travel Returns Desk"/>\n'
                % (n, seed, ", distinct" if distinct else "", n, iso(ORIGIN_DATE), iso(PERIOD_END), n))
        chunk = []
        for i in range(n):
            chunk.append(gen.booking(i + 1))
            if len(chunk) == 1000:
                f.writelines(chunk)
                chunk = []
        f.writelines(chunk)
        f.write("</submission>\n")
    os.replace(tmp, args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
