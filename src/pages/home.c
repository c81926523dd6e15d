/* home.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route home_routes[] = {{0}};
