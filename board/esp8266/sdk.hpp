// The NONOS SDK's headers, for the board's .cpp files only: they define OK, FAIL, LOCAL, BIT and more in
// macros and declare C functions without extern "C". Never include this from a header.
#pragma once
extern "C" {
#include <c_types.h>
#include <ets_sys.h>
#include <gpio.h>
#include <mem.h>
#include <os_type.h>
#include <osapi.h>
#include <user_interface.h>
}
#undef LOCAL
