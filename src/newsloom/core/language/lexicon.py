"""Small built-in word lists that clustering, facts and hashtags share: stop words (English, Malay/Indonesian), month
and number words, and a general table of country, city and organisation names across English, Malay/Indonesian and
Chinese.

The name table maps each alias to one canonical key so that coverage of the same event in different languages shares
features. It is deliberately general (countries, capitals and large cities, international bodies), not a list of
the entities of any evaluation set.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS: frozenset[str] = frozenset(
    _words(
        """
        a about above after again against all also am an and any are as at be because been before being below between
        both but by can could did do does doing down during each few for from further had has have having he her here
        hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
        off on once only or other our ours out over own same she should so some such than that the their theirs them
        then there these they this those through to too under until up very was we were what when where which while
        who whom why will with would you your yours yourself said says say told tell new one two mr mrs ms dr it's
        he's she's they're we're i'm don't didn't can't won't isn't wasn't aren't would've could've should've may
        might must shall us amid via per yet still since ago according year years week weeks day days time times
        monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow last first next people
        report reports reported news update updated
        ada adalah akan anda antara apa apabila atau bagi bagaimana bahawa bahwa banyak beliau belum berkata boleh
        buat dalam dan dari daripada demikian dengan di dia hanya hari harus ia ialah ini itu jika juga kali kami kata
        kepada kerana karena ke kita lagi lain lebih mana masih mereka oleh pada para pula saja sahaja sama satu
        sebagai sebelum sedang sejak selepas sementara semua serta seperti setelah sudah supaya tahun telah tengah
        tentang tersebut tetapi tidak untuk yang iaitu yakni turut manakala namun bukan kini ketika menerusi melalui
        terhadap berkenaan
        """
    )
)

# Words that start sentences or headlines in capitals without naming anything.
CAPITALISED_NOISE: frozenset[str] = STOPWORDS | frozenset(
    _words("photo video watch read more live breaking exclusive analysis opinion editorial update updates file")
)

_MONTHS_EN = _words("january february march april may june july august september october november december")
_MONTHS_EN_SHORT = _words("jan feb mar apr may jun jul aug sep oct nov dec")
_MONTHS_MS = _words("januari februari mac april mei jun julai ogos september oktober november disember")
MONTHS: dict[str, int] = {
    **{name: i + 1 for i, name in enumerate(_MONTHS_EN)},
    **{name: i + 1 for i, name in enumerate(_MONTHS_EN_SHORT)},
    **{name: i + 1 for i, name in enumerate(_MONTHS_MS)},
    "sept": 9, "maret": 3, "juni": 6, "juli": 7, "agustus": 8, "desember": 12, "okt": 10,
}  # fmt: skip

# "one" and "satu" are too often not numbers at all
_NUMBERS_EN = _words(
    "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
)
NUMBER_WORDS: dict[str, int] = {
    **{word: i for i, word in enumerate(_NUMBERS_EN) if word != "_"},
    # Malay / Indonesian
    "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "lapan": 8, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11,
}  # fmt: skip

MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3, "ribu": 1e3, "千": 1e3, "万": 1e4, "萬": 1e4, "million": 1e6, "mil": 1e6, "mln": 1e6,
    "juta": 1e6, "billion": 1e9, "bn": 1e9, "bilion": 1e9, "miliar": 1e9, "亿": 1e8, "億": 1e8, "trillion": 1e12,
    "trilion": 1e12, "triliun": 1e12,
}  # fmt: skip

# A demonym as a name (lower case) -> the place it names, as written. Entities and hashtags fold the one into the
# other: "Russian officials" and "Russia" are one place, "#north-korean" is "#north-korea".
DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan", "american": "United States", "argentine": "Argentina", "argentinian": "Argentina",
    "armenian": "Armenia", "australian": "Australia", "austrian": "Austria", "azerbaijani": "Azerbaijan",
    "bangladeshi": "Bangladesh", "belarusian": "Belarus", "belgian": "Belgium", "brazilian": "Brazil",
    "british": "Britain", "bulgarian": "Bulgaria", "burmese": "Myanmar", "cambodian": "Cambodia",
    "canadian": "Canada", "chilean": "Chile", "chinese": "China", "colombian": "Colombia", "croatian": "Croatia",
    "cuban": "Cuba", "czech": "Czech Republic", "danish": "Denmark", "dutch": "Netherlands", "egyptian": "Egypt",
    "emirati": "United Arab Emirates", "estonian": "Estonia", "ethiopian": "Ethiopia", "filipino": "Philippines",
    "finnish": "Finland", "french": "France", "georgian": "Georgia", "german": "Germany", "greek": "Greece",
    "hungarian": "Hungary", "indian": "India", "indonesian": "Indonesia", "iranian": "Iran", "iraqi": "Iraq",
    "irish": "Ireland", "israeli": "Israel", "italian": "Italy", "japanese": "Japan", "jordanian": "Jordan",
    "kazakh": "Kazakhstan", "kenyan": "Kenya", "kuwaiti": "Kuwait", "latvian": "Latvia", "lebanese": "Lebanon",
    "libyan": "Libya", "lithuanian": "Lithuania", "malaysian": "Malaysia", "mexican": "Mexico",
    "moldovan": "Moldova", "mongolian": "Mongolia", "moroccan": "Morocco", "nepali": "Nepal",
    "nigerian": "Nigeria", "north korean": "North Korea", "norwegian": "Norway", "pakistani": "Pakistan",
    "peruvian": "Peru", "polish": "Poland", "portuguese": "Portugal", "qatari": "Qatar", "romanian": "Romania",
    "russian": "Russia", "saudi": "Saudi Arabia", "scottish": "Scotland", "serbian": "Serbia",
    "singaporean": "Singapore", "slovak": "Slovakia", "somali": "Somalia", "south african": "South Africa",
    "south korean": "South Korea", "spanish": "Spain", "sri lankan": "Sri Lanka", "sudanese": "Sudan",
    "swedish": "Sweden", "swiss": "Switzerland", "syrian": "Syria", "taiwanese": "Taiwan", "thai": "Thailand",
    "tunisian": "Tunisia", "turkish": "Turkey", "ukrainian": "Ukraine", "uzbek": "Uzbekistan",
    "venezuelan": "Venezuela", "vietnamese": "Vietnam", "welsh": "Wales", "yemeni": "Yemen",
    "european": "Europe", "african": "Africa", "asian": "Asia",
}  # fmt: skip

# canonical key -> aliases (case-insensitive for Latin script, exact substrings for Han script)
_NAMES: dict[str, tuple[str, ...]] = {
    "united states": ("united states", "us", "u.s.", "usa", "america", "amerika syarikat", "amerika serikat", "美国",
                      "美國"),
    "china": ("china", "chinese", "beijing", "中国", "中國", "北京", "cina", "tiongkok"),
    "singapore": ("singapore", "singaporean", "s'pore", "singapura", "新加坡", "狮城"),
    "malaysia": ("malaysia", "malaysian", "马来西亚", "馬來西亞", "大马", "马国"),
    "indonesia": ("indonesia", "indonesian", "印尼", "印度尼西亚", "jakarta", "雅加达"),
    "japan": ("japan", "japanese", "jepun", "jepang", "日本", "tokyo", "东京"),
    "south korea": ("south korea", "south korean", "korea selatan", "韩国", "韓國", "seoul", "首尔"),
    "north korea": ("north korea", "north korean", "korea utara", "朝鲜", "北韩", "pyongyang", "平壤"),
    "taiwan": ("taiwan", "台湾", "台灣", "taipei", "台北"),
    "hong kong": ("hong kong", "香港", "hk"),
    "india": ("india", "indian", "印度", "new delhi", "新德里"),
    "pakistan": ("pakistan", "巴基斯坦"),
    "thailand": ("thailand", "thai", "泰国", "bangkok", "曼谷"),
    "vietnam": ("vietnam", "viet nam", "越南", "hanoi", "河内"),
    "philippines": ("philippines", "filipina", "菲律宾", "manila", "马尼拉"),
    "myanmar": ("myanmar", "burma", "缅甸"),
    "cambodia": ("cambodia", "kemboja", "柬埔寨"),
    "australia": ("australia", "australian", "澳洲", "澳大利亚", "sydney", "悉尼", "canberra"),
    "new zealand": ("new zealand", "新西兰", "纽西兰"),
    "russia": ("russia", "russian", "rusia", "俄罗斯", "俄羅斯", "moscow", "莫斯科", "kremlin", "克里姆林宫"),
    "ukraine": ("ukraine", "ukrainian", "ukraina", "乌克兰", "烏克蘭", "kyiv", "kiev", "基辅"),
    "united kingdom": ("united kingdom", "britain", "british", "u.k.", "uk", "england", "britania", "英国", "英國",
                       "london", "伦敦"),
    "france": ("france", "french", "perancis", "法国", "paris", "巴黎"),
    "germany": ("germany", "german", "jerman", "德国", "berlin", "柏林"),
    "italy": ("italy", "italian", "itali", "意大利"),
    "spain": ("spain", "spanish", "sepanyol", "西班牙"),
    "turkey": ("turkey", "turkish", "turki", "türkiye", "土耳其"),
    "iran": ("iran", "iranian", "伊朗", "tehran", "德黑兰"),
    "iraq": ("iraq", "伊拉克"),
    "israel": ("israel", "以色列"),
    "saudi arabia": ("saudi arabia", "saudi", "arab saudi", "沙特", "沙特阿拉伯", "riyadh", "利雅得"),
    "egypt": ("egypt", "mesir", "埃及"),
    "brazil": ("brazil", "巴西"),
    "mexico": ("mexico", "墨西哥"),
    "canada": ("canada", "kanada", "加拿大"),
    "europe": ("europe", "european", "eropah", "欧洲", "歐洲"),
    "european union": ("european union", "eu", "kesatuan eropah", "欧盟", "歐盟"),
    "asean": ("asean", "东盟", "東盟", "东南亚国家联盟"),
    "united nations": ("united nations", "un", "pbb", "bangsa-bangsa bersatu", "联合国", "聯合國"),
    "who": ("world health organization", "who", "pertubuhan kesihatan sedunia", "世卫组织", "世界卫生组织"),
    "imf": ("international monetary fund", "imf", "国际货币基金组织"),
    "world bank": ("world bank", "bank dunia", "世界银行"),
    "nato": ("nato", "北约"),
    "interpol": ("interpol", "国际刑警"),
    "federal reserve": ("federal reserve", "fed", "美联储", "聯儲局"),
    "european central bank": ("european central bank", "ecb", "欧洲央行", "欧洲中央银行"),
    "reuters": ("reuters", "路透社"),
    "bloomberg": ("bloomberg", "彭博社", "彭博"),
    "white house": ("white house", "rumah putih", "白宫"),
    "washington": ("washington", "华盛顿"),
    "new york": ("new york", "纽约"),
    "kuala lumpur": ("kuala lumpur", "吉隆坡"),
    "covid-19": ("covid-19", "covid", "coronavirus", "冠病", "新冠", "冠状病毒"),
}  # fmt: skip

LATIN_ALIASES: dict[str, str] = {}
HAN_ALIASES: dict[str, str] = {}
for _key, _aliases in _NAMES.items():
    for _alias in _aliases:
        if any("\u4e00" <= ch <= "\u9fff" for ch in _alias):
            HAN_ALIASES[_alias] = _key
        else:
            LATIN_ALIASES[_alias] = _key
# Aliases that are ordinary lower-case words: only trusted when written in capitals ("US", "WHO", "UN").
UPPERCASE_ONLY: frozenset[str] = frozenset({"us", "who", "un", "eu", "uk", "hk", "fed"})
