"""The article's own date: hand-written hostile examples in both languages (births, history,
deadlines, announced events, dates inside English stories, stray spaces, a late quote date).
The figures over the real corpora are in tests/test_date_figures.py."""

from __future__ import annotations

import pytest

from reader.library import datecues as D
from reader.library import dates
from reader.library import text as T

FILLER_ID = ("Pemerintah daerah terus memantau harga bahan pokok di pasar tradisional dan "
             "meminta warga tidak panik membeli kebutuhan sehari-hari. ")
FILLER_EN = ("The council said it would keep monitoring prices in local markets and asked "
             "residents not to panic-buy everyday goods. ")


def article_date(text: str, language: str) -> str:
    return D.article_date(text, T.blocks(text), language)


@pytest.mark.parametrize("text,expected", [
    # the cases: a history date before the quote date, a birth date, stray spaces
    ("Sejarah kopi Aceh\n\nPer 8 Oktober 1929, pemerintah kolonial mencatat ekspor kopi "
     "pertama dari pelabuhan itu. Kini ekspor naik tiga kali lipat, seperti dikutip Rabu "
     "(17/9/2025).\n", "2025-09-17"),
    ("Profil sang juara\n\nLahir di Solo, 29 Mei 1995, ia mulai berlatih bulu tangkis sejak "
     "kecil. Ia kini menjadi andalan tim nasional.\n", ""),
    ("Tan Malaka\n\nTan Malaka lahir 1897-06-02 di Suliki. Ia dikenal sebagai tokoh "
     "pergerakan nasional.\n", ""),
    ("Harga cabai naik\n\nHarga cabai di Pasar Induk naik tajam, kata pedagang, Sabtu "
     "(18/10/ 2025).\n", "2025-10-18"),
    # a quote date late in a long text
    ("Harga beras\n\n" + FILLER_ID * 60 + "\n\nHal itu dikutip pada Senin (20/10/2025).\n",
     "2025-10-20"),
    # several day references: the latest, not the most frequent, not the first
    ("Keracunan massal\n\nKeracunan terjadi pada Senin (13/10/2025). Korban dibawa ke "
     "puskesmas pada Senin (13/10/2025) malam. Polisi datang Senin (13/10/2025). \"Kami "
     "masih menunggu hasil lab,\" kata Kapolres, Rabu (15/10/2025).\n", "2025-10-15"),
    # an old event by day reference, then the reporting day
    ("Anggaran KPU\n\nKomisi II membahas anggaran pada Rabu (15/5/2024) di gedung DPR. "
     "\"Sekarang tinggal pelaksanaan,\" kata Ketua KPU kepada wartawan, Senin "
     "(20/10/2025).\n", "2025-10-20"),
    # deadlines, announced events, starting points and days said to be past are other days
    ("Pendaftaran CPNS\n\nPendaftaran dibuka hingga Jumat (31/10/2025). \"Segera daftar,\" "
     "kata Kepala BKN, Senin (20/10/2025).\n", "2025-10-20"),
    ("Final Piala Sudirman\n\nFinal akan digelar pada Minggu (28/5/2017). Tim Korea tiba "
     "di Gold Coast, Kamis (25/5/2017).\n", "2017-05-25"),
    ("Jadwal sidang\n\nSidang lanjutan dijadwalkan Kamis (23/10/2025) di Pengadilan Negeri "
     "Jakarta Pusat.\n", ""),
    ("Gempa susulan\n\nTotal gempa sejak Senin (14/11/2016) sebanyak 1.215 kali.\n", ""),
    ("Kasus pencurian\n\nKejadian itu terjadi pada Jumat (19/9/2025) lalu di Ciamis.\n", ""),
    ("Aturan baru\n\nAturan ini berlaku mulai Kamis (3/7/2025) untuk semua kendaraan.\n", ""),
    # today said so wins over a marker of another day
    ("Buronan pulang\n\nIa dikabarkan bakal pulang dari Arab Saudi pada Rabu (21/2/2018) "
     "hari ini.\n", "2018-02-21"),
    # a weekday that does not fit the date: a typo in one of them, which one is unknown
    ("Konferensi pers\n\n\"Kami optimistis,\" kata dia di Kantor DJP, Senin "
     "(20/10/2026).\n", ""),
    # the day reference inside a dateline and the usual outlets' forms
    ("KOMPAS.com - Presiden Rusia tiba di Pyongyang pada Rabu (19/6/2024) dini hari.\n",
     "2024-06-19"),
    ("Jakarta, CNN Indonesia -- Lindsay Lohan tiba di Bali hari ini, Rabu (12/7) dan "
     "langsung mengunggah video.\n", ""),  # no year: no date
    ("Jakarta - Menkeu mengatakan hal itu di Jakarta pada Rabu (17/9/2025).\n",
     "2025-09-17"),
    ("Jakarta, 5 Agustus 2025 - Harga naik di seluruh pasar.\n", "2025-08-05"),
    ("Inflasi terkendali\n\n\"Kita jaga,\" kata Tito di Jakarta, Senin, 20 Oktober 2025.\n",
     "2025-10-20"),  # a weekday and a date after an attribution, without brackets
    ("Rapat paripurna\n\nRUU akan disahkan di rapat paripurna pada Selasa, 26 Agustus "
     "2025.\n", ""),
    ("Data pariwisata\n\nMenurut laporan itu (diakses pada 19 Juni 2024), wisatawan naik "
     "24 persen.\n", "2024-06-19"),
    ("Layanan daring\n\nLayanan itu bisa diakses mulai 1 November 2025 oleh semua warga.\n",
     ""),
    # a date line near the top wins over day references in the story
    ("Harga emas turun\n\nSenin, 20 Okt 2025 14:30 WIB\n\nHarga emas turun, kata analis, "
     "Selasa (21/10/2025).\n", "2025-10-20"),
    ("Profil atlet\n\nLahir: 29 Mei 1995\n\nIa memulai karier di klub lokal.\n", ""),
    ("Kurs rupiah\n\nPer 30 September 2025, rupiah melemah. Pada tahun 2001 dan 2002 "
     "rupiah juga melemah.\n", ""),
])
def test_indonesian(text: str, expected: str) -> None:
    assert article_date(text, "id") == expected


@pytest.mark.parametrize("text,expected", [
    # dates inside English stories are not the article's
    ("Xbox price cut\n\nWhen the Xbox launched on November 15 2001 it cost $299. Consoles "
     "made before 23 October 2003 are affected.\n", ""),
    ("Obituary\n\nSir Anthony Meyer was born on 27 October, 1920 in London. He said on "
     "Monday that he had no regrets.\n", ""),
    ("Pension rules\n\nMembers have until 15 July 2006 to comply, the regulator said on "
     "Monday.\n", ""),
    ("Iraq advice\n\nLord Goldsmith warned Tony Blair on 7 March 2003, the papers show.\n",
     ""),
    ("Trade talks\n\nThe talks on 6/19/2024 ended without a deal.\n", ""),
    ("Market report\n\nThe report, published on 3 June 2024, said exports had fallen. "
     "Ministers met on Tuesday.\n", ""),
    ("Cup draw\n\nThe final will be played on Saturday (June 14, 2025) in Cardiff.\n", ""),
    ("LONDON (Reuters) - British factory output fell for a third month in May, figures "
     "showed on Monday.\n", ""),
    # the article's own: dateline, date lines, access dates
    ("WASHINGTON, June 3, 2024 (AP) — Lawmakers agreed on a budget.\n", "2024-06-03"),
    ("Talks resume\n\nPublished 19 June 2024\n\nThe talks resumed in Geneva.\n",
     "2024-06-19"),
    ("Talks resume\n\nUpdated: 3rd June 2024\n\nThe talks resumed in Geneva.\n",
     "2024-06-03"),
    ("Talks resume\n\nUpdated 21 June 2024\nPublished 19 June 2024\n\nThe talks resumed.\n",
     "2024-06-19"),
    ("Talks resume\n\nBy Jane Doe | June 3, 2024\n\nThe talks resumed in Geneva.\n",
     "2024-06-03"),
    ("Talks resume\n\nThe talks resumed in Geneva on Monday.\n\n" + FILLER_EN * 20 +
     "\n\nPosted Jun. 3, 2024, 4:05 pm\n", "2024-06-03"),
    ("Sources\n\nThe figures come from the agency's website (accessed 3 June 2024).\n",
     "2024-06-03"),
])
def test_english(text: str, expected: str) -> None:
    assert article_date(text, "en") == expected


def test_cues_say_why() -> None:
    text = ("Harga beras\n\nJakarta - Harga beras naik, kata Mentan, Senin (20/10/2025). "
            "Pada Jumat (17/10/2025) harga masih stabil.\n")
    cues = D.date_cues(text, T.blocks(text), "id")
    assert [(c.kind, c.iso) for c in cues] == [("day reference", "2025-10-20"),
                                               ("day reference", "2025-10-17")]
    m = cues[0].mention
    assert text[m.start:m.end] == "20/10/2025" and m.weekday == 0 and m.bracketed


@pytest.mark.parametrize("text,forms", [
    ("Sabtu (18/10/ 2025), 19 Juni 2024, June 3, 2024, 2024-06-19, 19.06.2024",
     ["2025-10-18", "2024-06-19", "2024-06-03", "2024-06-19", "2024-06-19"]),
    ("version 1.2.3 and 2.5.2024.1, score 3 - 0, 12/2024", []),
])
def test_mentions_find_every_form(text: str, forms: list[str]) -> None:
    assert [m.iso for m in dates.mentions(text, "id")] == forms
