/*
 * Just enough AML to find \_S5, the sleep type values power_off() writes to
 * PM1x_CNT.SLP_TYPx. Firmware declares it as a named package of integers
 * (ACPI 6.5, "\_Sx (System States)" in chapter 7), so a byte scan for the name and a
 * decoder for a package of constants is all that is needed; there is no AML
 * interpreter in Sable. The encodings are from ACPI 6.5 chapter 20:
 *
 *   DefName    := NameOp NameString DataRefObject               (20.2.5.1)
 *   NameString := RootChar NamePath | PrefixPath NamePath        (20.2.2)
 *   DefPackage := PackageOp PkgLength NumElements PackageElementList (20.2.5.4)
 */
#include "lib/errno.h"
#include "lib/string.h"

#include "acpi_internal.h"

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c	/* '\' */
#define AML_PARENT_PREFIX 0x5e	/* '^' */
#define AML_ONES_OP 0xff

/* SLP_TYPx is a 3-bit field of PM1x_CNT (ACPI 6.5, "PM1 Control Registers"). */
#define SLP_TYP_MAX 7

/*
 * PkgLength (20.2.4): bits 7-6 of the lead byte say how many bytes follow
 * (0-3). With none, bits 5-0 are the length; otherwise bits 3-0 are its low
 * nibble and each following byte adds the next 8 bits. The length counts the
 * PkgLength bytes themselves. Returns the bytes used, or 0 if truncated.
 */
static size_t aml_pkg_length(const u8 *p, size_t avail, u32 *len)
{
	unsigned int follow;
	u32 v;

	if (!avail)
		return 0;
	follow = p[0] >> 6;
	if (avail < 1 + follow)
		return 0;
	if (!follow) {
		*len = p[0] & 0x3f;
		return 1;
	}
	v = p[0] & 0x0f;
	for (unsigned int i = 0; i < follow; i++)
		v |= (u32)p[1 + i] << (4 + 8 * i);
	*len = v;
	return 1 + follow;
}

/*
 * An integer constant (20.2.3 ComputationalData, 20.2.6.3 ConstObj).
 * Returns the bytes used, or 0 if p is not an integer or is truncated.
 */
static size_t aml_integer(const u8 *p, size_t avail, u64 *val)
{
	size_t n;

	if (!avail)
		return 0;
	switch (p[0]) {
	case AML_ZERO_OP:
		*val = 0;
		return 1;
	case AML_ONE_OP:
		*val = 1;
		return 1;
	case AML_ONES_OP:
		*val = ~0ULL;
		return 1;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return 0;
	}
	if (avail < 1 + n)
		return 0;
	*val = 0;
	for (size_t i = 0; i < n; i++)
		*val |= (u64)p[1 + i] << (8 * i);
	return 1 + n;
}

/* p points at the PackageOp; avail counts from there to the end of the AML. */
static int aml_s5_package(const u8 *p, size_t avail, u8 *typ_a, u8 *typ_b)
{
	const u8 *end;
	u64 a, b;
	u32 pkg_len;
	size_t n;

	p++;
	avail--;
	n = aml_pkg_length(p, avail, &pkg_len);
	if (!n || pkg_len <= n || pkg_len > avail)
		return -EINVAL;
	end = p + pkg_len;
	p += n;
	/* NumElements, then SLP_TYPa and SLP_TYPb; the rest are reserved. */
	if (*p++ < 2)
		return -EINVAL;
	n = aml_integer(p, (size_t)(end - p), &a);
	if (!n)
		return -EINVAL;
	p += n;
	n = aml_integer(p, (size_t)(end - p), &b);
	if (!n)
		return -EINVAL;
	/* A value that does not fit the field means this was not \_S5 after all. */
	if (a > SLP_TYP_MAX || b > SLP_TYP_MAX)
		return -EINVAL;
	*typ_a = (u8)a;
	*typ_b = (u8)b;
	return 0;
}

int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b)
{
	int ret = -ENOENT;

	for (size_t i = 1; i + 5 <= len; i++) {
		size_t j = i;

		if (aml[i + 4] != AML_PACKAGE_OP || memcmp(aml + i, "_S5_", 4))
			continue;
		/* The NameString prefix: one RootChar, or any ParentPrefixChars. */
		if (aml[j - 1] == AML_ROOT_CHAR) {
			j--;
		} else {
			while (j > 0 && aml[j - 1] == AML_PARENT_PREFIX)
				j--;
		}
		if (j == 0 || aml[j - 1] != AML_NAME_OP)
			continue;
		ret = aml_s5_package(aml + i + 4, len - i - 4, typ_a, typ_b);
		if (!ret)
			return 0;
	}
	return ret;
}
