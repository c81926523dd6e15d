/* register.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route register_routes[] = {{0}};
