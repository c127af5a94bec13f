"""The names the demo's people are drawn from: kanji, kana and Hepburn romaji with macrons (the plain-ASCII form is
derived), the variant glyphs a credit may use, pen names, and the Los Angeles unit's names."""

from __future__ import annotations

FAMILY = [
    tuple(line.split())
    for line in """
佐藤 さとう Satō
鈴木 すずき Suzuki
高橋 たかはし Takahashi
田中 たなか Tanaka
伊藤 いとう Itō
渡辺 わたなべ Watanabe
山本 やまもと Yamamoto
中村 なかむら Nakamura
小林 こばやし Kobayashi
加藤 かとう Katō
吉田 よしだ Yoshida
山田 やまだ Yamada
佐々木 ささき Sasaki
山口 やまぐち Yamaguchi
松本 まつもと Matsumoto
井上 いのうえ Inoue
木村 きむら Kimura
林 はやし Hayashi
斎藤 さいとう Saitō
清水 しみず Shimizu
山崎 やまざき Yamazaki
森 もり Mori
池田 いけだ Ikeda
橋本 はしもと Hashimoto
阿部 あべ Abe
石川 いしかわ Ishikawa
山下 やました Yamashita
中島 なかじま Nakajima
小川 おがわ Ogawa
前田 まえだ Maeda
岡田 おかだ Okada
長谷川 はせがわ Hasegawa
藤田 ふじた Fujita
後藤 ごとう Gotō
近藤 こんどう Kondō
村上 むらかみ Murakami
遠藤 えんどう Endō
青木 あおき Aoki
坂本 さかもと Sakamoto
大野 おおの Ōno
工藤 くどう Kudō
太田 おおた Ōta
浜田 はまだ Hamada
内藤 ないとう Naitō
菅原 すがわら Sugawara
新井 あらい Arai
小野寺 おのでら Onodera
北村 きたむら Kitamura
上田 うえだ Ueda
原 はら Hara
""".strip().splitlines()
]
GIVEN = [
    tuple(line.split())
    for line in """
花子 はなこ Hanako
美咲 みさき Misaki
陽菜 ひな Hina
結衣 ゆい Yui
彩 あや Aya
真由美 まゆみ Mayumi
恵 めぐみ Megumi
優子 ゆうこ Yūko
智子 ともこ Tomoko
翔子 しょうこ Shōko
沙織 さおり Saori
千尋 ちひろ Chihiro
奈々 なな Nana
遥 はるか Haruka
麻衣 まい Mai
里奈 りな Rina
由紀 ゆき Yuki
綾乃 あやの Ayano
桃子 ももこ Momoko
京子 きょうこ Kyōko
一郎 いちろう Ichirō
健太 けんた Kenta
翔太 しょうた Shōta
大輔 だいすけ Daisuke
拓也 たくや Takuya
雅也 まさや Masaya
亮 りょう Ryō
涼太 りょうた Ryōta
浩二 こうじ Kōji
裕 ゆたか Yutaka
誠 まこと Makoto
直樹 なおき Naoki
和也 かずや Kazuya
修 おさむ Osamu
悠斗 ゆうと Yūto
隆 たかし Takashi
俊介 しゅんすけ Shunsuke
康平 こうへい Kōhei
達也 たつや Tatsuya
龍之介 りゅうのすけ Ryūnosuke
""".strip().splitlines()
]
# A person registered under the variant glyph is credited under the common one too (and vice versa).
VARIANT_GLYPH = {"高橋": "髙橋", "山崎": "山﨑", "渡辺": "渡邊", "斎藤": "齋藤", "浜田": "濵田"}
PEN_NAMES = [
    "みずしま蒼",
    "ひつじ雲",
    "kaz",
    "YOSHI-K",
    "あおいろ",
    "ねこまた",
    "星野ルカ",
    "なぎ",
    "こはく",
    "白湯",
    "もちこ",
    "灯台守",
]
LA_NAMES = [
    ("Tanaka", "Emily", "タナカ", "エミリー"),
    ("Reyes", "Marcus", "レイエス", "マーカス"),
    ("Kim", "Jordan", "キム", "ジョーダン"),
    ("Alvarez", "Sofia", "アルバレス", "ソフィア"),
]
