/* text_scan.c - shape detectors over configuration text; see text_scan.h. */
#include "rules/text_scan.h"

#include <string.h>
#include <strings.h>

/* Character classes of the "C" locale (the program never sets another),
 * tested without a call into the C library. */
static bool ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ascii_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool ascii_alpha(char c)
{
    return ascii_upper(c) || (c >= 'a' && c <= 'z');
}

static bool ascii_alnum(char c)
{
    return ascii_alpha(c) || ascii_digit(c);
}

static bool is_upper_alnum(char c)
{
    return ascii_upper(c) || ascii_digit(c);
}

static bool is_name_start(char c)
{
    return ascii_alpha(c) || c == '_';
}

/* ---- interpolations ------------------------------------------------------ */

bool text_has_interpolation(const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '$')
            continue;
        char next = text[i + 1];
        if (next == '$') { /* "$$" is a literal dollar in compose */
            i++;
            continue;
        }
        if (next == '{' || next == '(' || is_name_start(next))
            return true;
    }
    return false;
}

bool text_in_interpolation(const char *text, size_t len, size_t offset)
{
    bool inside = false;
    for (size_t i = 0; i < len && i < offset; i++) {
        if (text[i] == '$' && i + 1 < len && text[i + 1] == '$') {
            i++;
        } else if (text[i] == '$' && i + 1 < len && text[i + 1] == '{') {
            inside = true;
            i++;
        } else if (text[i] == '}') {
            inside = false;
        }
    }
    return inside;
}

bool text_is_ascii(const char *text, size_t len)
{
    uint64_t any = 0; /* the bits of every byte, eight bytes at a time */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        any |= w;
    }
    for (; i < len; i++)
        any |= (unsigned char)text[i];
    return !(any & 0x8080808080808080ull);
}

bool text_is_boolean_word(const char *text)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off"};
    size_t len = strlen(text);
    if (len < 2 || len > 5)
        return false; /* most values: no call to strcasecmp */
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcasecmp(text, words[i]))
            return true;
    return false;
}

/* ---- credentials by shape ------------------------------------------------ */

const char *secret_kind_text(secret_kind k)
{
    switch (k) {
    case SECRET_URL_PASSWORD:
        return "a password inside a URL";
    case SECRET_AWS_KEY_ID:
        return "an AWS access key id";
    default:
        return "a private key";
    }
}

static bool is_scheme_char(char c)
{
    return ascii_alnum(c) || c == '+' || c == '-' || c == '.';
}

/* A byte that ends the authority of a URL: one of "/?#\"' \t\r\n", or a
 * NUL (as strchr of that set finds it). */
static bool ends_authority(char c)
{
    switch (c) {
    case '/':
    case '?':
    case '#':
    case '"':
    case '\'':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '\0':
        return true;
    default:
        return false;
    }
}

/* scheme://user:password@host: the password's range, when "://" at i starts
 * such an authority. */
static bool url_password_at(const char *text, size_t len, size_t i, size_t *ps, size_t *pe)
{
    size_t s = i;
    while (s > 0 && is_scheme_char(text[s - 1]))
        s--;
    while (s < i && !ascii_alpha(text[s]))
        s++;
    if (s == i)
        return false;
    size_t a = i + 3, e = a;
    while (e < len && !ends_authority(text[e]))
        e++;
    size_t at = e;
    while (at > a && text[at - 1] != '@')
        at--;
    if (at == a)
        return false;
    at--; /* the '@' */
    const char *colon = memchr(text + a, ':', at - a);
    if (!colon)
        return false;
    size_t start = (size_t)(colon - text) + 1;
    if (start >= at || text_has_interpolation(text + start, at - start))
        return false;
    *ps = start;
    *pe = at;
    return true;
}

static bool aws_key_at(const char *text, size_t len, size_t i)
{
    if (i + 20 > len || (memcmp(text + i, "AKIA", 4) && memcmp(text + i, "ASIA", 4)))
        return false;
    if (i > 0 && is_upper_alnum(text[i - 1]))
        return false;
    for (size_t k = 4; k < 20; k++)
        if (!is_upper_alnum(text[i + k]))
            return false;
    return i + 20 == len || !is_upper_alnum(text[i + 20]);
}

/* "-----BEGIN [WORDS ]PRIVATE KEY-----" at i. */
static bool pem_private_key_at(const char *text, size_t len, size_t i)
{
    static const char begin[] = "-----BEGIN ";
    static const char tail[] = "PRIVATE KEY-----";
    if (i + sizeof begin - 1 > len || memcmp(text + i, begin, sizeof begin - 1))
        return false;
    size_t k = i + sizeof begin - 1;
    while (k < len && k - i < 64 && (ascii_upper(text[k]) || text[k] == ' ')) {
        if (len - k >= sizeof tail - 1 && !memcmp(text + k, tail, sizeof tail - 1))
            return true;
        k++;
    }
    return false;
}

static void add_match(secret_match *out, size_t max, size_t *n, secret_kind kind, size_t s,
                      size_t e)
{
    if (*n < max)
        out[*n] = (secret_match){.kind = kind, .start = s, .end = e};
    (*n)++;
}

/* The bytes a credential's shape is recognised at: "://", "AKIA"/"ASIA",
 * "-----BEGIN". */
static bool may_start_credential(char c)
{
    static const bool starts[256] = {[':'] = true, ['A'] = true, ['-'] = true};
    return starts[(unsigned char)c];
}

size_t text_find_credentials(const char *text, size_t len, secret_match *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        size_t ps, pe;
        if (!may_start_credential(text[i]))
            continue; /* most bytes: one test */
        if (text[i] == ':' && i + 2 < len && text[i + 1] == '/' && text[i + 2] == '/' &&
            url_password_at(text, len, i, &ps, &pe)) {
            add_match(out, max, &n, SECRET_URL_PASSWORD, ps, pe);
            i = pe;
        } else if (text[i] == 'A' && aws_key_at(text, len, i)) {
            add_match(out, max, &n, SECRET_AWS_KEY_ID, i, i + 20);
            i += 19;
        } else if (text[i] == '-' && pem_private_key_at(text, len, i)) {
            add_match(out, max, &n, SECRET_PRIVATE_KEY, i, len);
            break;
        }
    }
    return n;
}

/* ---- secret-like names ---------------------------------------------------- */

static char upper_ascii(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* True when w[0, wl) is upper, a word in upper case (of letters and
 * digits). */
static bool word_is(const char *w, size_t wl, const char *upper)
{
    size_t i = 0;
    for (; i < wl && upper[i]; i++)
        if (upper_ascii(w[i]) != upper[i])
            return false;
    return i == wl && !upper[i];
}

/* True when w[0, wl), a word of letters and digits, is one of the words
 * naming something about a secret rather than the secret (FILE, PATH, ID,
 * URL, USER ...), in any case. Compared upper-cased and zero-padded, so that
 * each listed word costs a byte test and rarely a fixed-size compare. */
static bool is_meta_word(const char *w, size_t wl)
{
    static const char meta[][12] = {
        "FILE",     "PATH",     "DIR",      "ID",       "LENGTH",   "LEN",      "TTL",
        "EXPIRY",   "EXPIRES",  "EXPIRE",   "EXPIRATION", "TIMEOUT", "ENABLED", "ENABLE",
        "DISABLED", "DISABLE",  "POLICY",   "URL",      "URI",      "ENDPOINT", "HEADER",
        "NAME",     "TYPE",     "ALGORITHM", "ALG",     "USER",     "USERNAME", "LOGIN",
        "HOST",     "PORT",     "FIELD",    "PARAM",    "AUDIENCE", "ISSUER",   "LIFETIME",
        "MIN",      "MAX",      "REQUIRED", "MODE",     "METHOD",   "FORMAT",   "LOCATION",
        "REF",      "SOURCE",   "PROVIDER", "ROTATION", "AGE",      "RESET",    "COMMAND",
        "CMD",      "LIMIT",    "SIZE",     "COUNT",    "RETRIES",  "HINT",     "PREFIX",
        "SUFFIX",   "STRENGTH", "SCOPE",    "SCOPES",   "NAMESPACE", "KIND",    "DURATION",
        "INTERVAL", "AUTH",     "SECONDS",  "MINUTES",  "HOURS",    "DAYS",     "VERSION"};
    if (wl == 0 || wl >= sizeof *meta)
        return false; /* no listed word is empty or this long */
    char up[sizeof *meta] = {0};
    for (size_t i = 0; i < wl; i++)
        up[i] = upper_ascii(w[i]);
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        if (meta[i][0] == up[0] && !memcmp(meta[i], up, sizeof up))
            return true;
    return false;
}

/* A whole word PASS, PW, PWD, PASSWD or PASSWORD. */
static bool is_short_word(const char *w, size_t wl)
{
    switch (wl) {
    case 2:
        return word_is(w, wl, "PW");
    case 3:
        return word_is(w, wl, "PWD");
    case 4:
        return word_is(w, wl, "PASS");
    case 6:
        return word_is(w, wl, "PASSWD");
    case 8:
        return word_is(w, wl, "PASSWORD");
    default:
        return false;
    }
}

/* True when squashed contains one of the stems every secret part below
 * contains (PASSWORD, PASSWD, PASSPHRASE: PASS; SECRET, CLIENTSECRET:
 * SECRET; TOKEN; the ...KEY parts: KEY; CREDENTIAL). */
static bool has_secret_stem(const char *sq, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t rest = n - i;
        switch (sq[i]) {
        case 'P':
            if (rest >= 4 && !memcmp(sq + i, "PASS", 4))
                return true;
            break;
        case 'S':
            if (rest >= 6 && !memcmp(sq + i, "SECRET", 6))
                return true;
            break;
        case 'T':
            if (rest >= 5 && !memcmp(sq + i, "TOKEN", 5))
                return true;
            break;
        case 'K':
            if (rest >= 3 && sq[i + 1] == 'E' && sq[i + 2] == 'Y')
                return true;
            break;
        case 'C':
            if (rest >= 10 && !memcmp(sq + i, "CREDENTIAL", 10))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* One bit per letter of the alphabet, case-folded (bit c & 31). */
#define LETTER(c) (1u << ((c) & 31))

/* The letters name holds, as LETTER bits. */
static uint32_t letters_of(const char *name)
{
    uint32_t set = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        set |= (unsigned)((*p | 0x20) - 'a') < 26 ? LETTER(*p) : 0;
    return set;
}

static bool has_letters(uint32_t set, uint32_t letters)
{
    return (set & letters) == letters;
}

/* False when name lacks the letters of every stem has_secret_stem looks for
 * and of every word is_short_word accepts (PASS, PW, SECRET, TOKEN, KEY,
 * CREDENTIAL): most names are ruled out by one pass without a branch per
 * byte. */
static bool may_name_secret(const char *name)
{
    uint32_t set = letters_of(name);
    bool pass = has_letters(set, LETTER('P') | LETTER('A') | LETTER('S')) |
                has_letters(set, LETTER('P') | LETTER('W'));
    bool secret =
        has_letters(set, LETTER('S') | LETTER('E') | LETTER('C') | LETTER('R') | LETTER('T'));
    bool token =
        has_letters(set, LETTER('T') | LETTER('O') | LETTER('K') | LETTER('E') | LETTER('N'));
    bool key = has_letters(set, LETTER('K') | LETTER('E') | LETTER('Y'));
    bool credential = has_letters(set, LETTER('C') | LETTER('R') | LETTER('E') | LETTER('D') |
                                           LETTER('N') | LETTER('T') | LETTER('I') |
                                           LETTER('A') | LETTER('L'));
    return pass | secret | token | key | credential;
}

bool text_name_is_secret(const char *name)
{
    if (!may_name_secret(name))
        return false;
    /* squashed: upper case without separators ("api_key" -> "APIKEY");
     * words: the runs of letters and digits, as written */
    char squashed[128];
    size_t sl = 0;
    const char *word = NULL, *last = "";
    size_t last_len = 0;
    bool short_word = false; /* a whole word PASS / PW / PWD */
    for (const char *p = name;; p++) {
        if (ascii_alnum(*p)) {
            if (!word)
                word = p;
            if (sl + 1 < sizeof squashed)
                squashed[sl++] = upper_ascii(*p);
            continue;
        }
        if (word) {
            last = word;
            last_len = (size_t)(p - word);
            short_word |= is_short_word(last, last_len);
            word = NULL;
        }
        if (!*p)
            break;
    }
    squashed[sl] = '\0';
    /* most names hold no secret: one pass over the squashed name rules them out */
    if (!short_word && !has_secret_stem(squashed, sl))
        return false;
    if (!strcmp(squashed, "PWD") || !strcmp(squashed, "OLDPWD"))
        return false; /* the shell's working directory */
    static const char *const parts[] = {
        "PASSWORD", "PASSWD",     "PASSPHRASE", "SECRET",        "TOKEN",
        "APIKEY",   "ACCESSKEY",  "PRIVATEKEY", "AUTHKEY",       "ENCRYPTIONKEY",
        "SIGNINGKEY", "MASTERKEY", "CREDENTIAL", "CLIENTSECRET", "LICENSEKEY"};
    bool secret = short_word;
    for (size_t i = 0; i < sizeof parts / sizeof *parts && !secret; i++)
        secret = strstr(squashed, parts[i]) != NULL;
    if (!secret)
        return false;
    return !is_meta_word(last, last_len); /* names about a secret, not holding one */
}

/* ---- IPv4 addresses ------------------------------------------------------- */

/* Reads one octet (1-3 digits, <= 255) at text[*i]. */
static bool read_octet(const char *text, size_t len, size_t *i, uint8_t *out)
{
    size_t k = *i;
    unsigned v = 0;
    while (k < len && k - *i < 3 && ascii_digit(text[k]))
        v = v * 10 + (unsigned)(text[k++] - '0');
    if (k == *i || v > 255 || (k < len && ascii_digit(text[k])))
        return false;
    *out = (uint8_t)v;
    *i = k;
    return true;
}

size_t text_find_ipv4(const char *text, size_t len, ipv4_match *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (!ascii_digit(text[i]))
            continue;
        if (i > 0 && (ascii_alnum(text[i - 1]) || text[i - 1] == '.' ||
                      text[i - 1] == '_' || text[i - 1] == '-')) {
            while (i + 1 < len && (ascii_digit(text[i + 1]) || text[i + 1] == '.'))
                i++; /* skip the rest of this dotted number */
            continue;
        }
        ipv4_match m = {.start = i};
        size_t k = i;
        bool ok = true;
        for (int o = 0; o < 4 && ok; o++) {
            if (o > 0) {
                ok = k < len && text[k] == '.';
                k++;
            }
            ok = ok && read_octet(text, len, &k, &m.octet[o]);
        }
        bool standalone =
            ok && !(k < len && (ascii_alnum(text[k]) || text[k] == '_')) &&
            !(k + 1 < len && (text[k] == '.' || text[k] == '/') && ascii_digit(text[k + 1]));
        if (standalone) {
            m.end = k;
            if (n < max)
                out[n] = m;
            n++;
            i = k - 1;
        } else {
            while (i + 1 < len && (ascii_digit(text[i + 1]) || text[i + 1] == '.'))
                i++;
        }
    }
    return n;
}

bool ipv4_is_service_address(const ipv4_match *m)
{
    const uint8_t *o = m->octet;
    if (o[0] == 0 || o[0] == 127 || o[0] >= 224)
        return false; /* unspecified, loopback, multicast and reserved */
    if (o[0] == 169 && o[1] == 254)
        return false; /* link-local, including the cloud metadata service */
    if (o[3] == 0 || o[3] == 255)
        return false; /* a network or broadcast address, not a host */
    static const uint8_t resolvers[][4] = {{1, 1, 1, 1},         {1, 0, 0, 1},
                                           {8, 8, 8, 8},         {8, 8, 4, 4},
                                           {9, 9, 9, 9},         {149, 112, 112, 112},
                                           {208, 67, 222, 222},  {208, 67, 220, 220}};
    for (size_t i = 0; i < sizeof resolvers / sizeof *resolvers; i++)
        if (!memcmp(o, resolvers[i], 4))
            return false;
    return true;
}
