/* caseload.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route caseload_routes[] = {{0}};
