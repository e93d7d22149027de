/* tf_instance_types.h - does an AWS instance type exist? EC2 types
 * ("m5.large"), RDS DB instance classes ("db.r6g.large") and ElastiCache node
 * types ("cache.t3.micro").
 *
 * Knowledge: the types priced in the embedded price list
 * (pricing/data/aws_prices.csv) exist; beyond that, a table of instance
 * families and the sizes each family pattern allows (burstable t-families go
 * from nano to 2xlarge, x86 families of generation 4+ start at large, mac
 * families are metal only, ...).
 *
 * Guarantees: conservative - a type is only reported when its family is not
 * a known family of an older generation than the newest one in the table (a
 * newer family than the table knows is given the benefit of the doubt), or
 * when its size is not a size at all or cannot exist for that family. Values
 * that do not look like an instance type ("optimal", "${var.x}",
 * "r6g.large.search", "ml.m5.large") are never judged. Pure function; no
 * global state. */
#ifndef SA_TF_INSTANCE_TYPES_H
#define SA_TF_INSTANCE_TYPES_H

#include <stddef.h>

typedef enum itype_verdict {
    ITYPE_NOT_A_TYPE,     /* not shaped like an instance type: not judged */
    ITYPE_OK,             /* exists, or may exist */
    ITYPE_UNKNOWN_FAMILY, /* no such family */
    ITYPE_BAD_SIZE        /* the family exists, that size does not */
} itype_verdict;

typedef struct itype_result {
    itype_verdict verdict;
    char family[32];     /* the family as written ("m5"), without db./cache. */
    char size[32];       /* the size as written ("small") */
    char suggestion[64]; /* a close existing type, with the same prefix; "" if none */
    char reason[160];    /* why it cannot exist, for messages */
} itype_result;

/* Judges value (e.g. "m5.small", "db.t3.micro", "cache.m6g.large"). */
void itype_check(const char *value, itype_result *out);

/* Damerau-Levenshtein distance (adjacent transpositions count 1) of two
 * short strings; strings longer than 63 bytes compare as far apart. */
int itype_edit_distance(const char *a, const char *b);

#endif
