# This file has only comments.
// Nothing else.
/* Really nothing. */
