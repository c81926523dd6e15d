/* account.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route account_routes[] = {{0}};
