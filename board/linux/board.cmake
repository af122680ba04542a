# Defaults the linux board gives the framework before it is configured.
set(WEFT_BOARD_DEFAULT_ARENA_BYTES 67108864)  # 64 MiB of address space; pages are touched only when used
