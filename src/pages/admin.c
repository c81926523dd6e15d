/* admin.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route admin_routes[] = {{0}};
