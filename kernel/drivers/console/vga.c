/* VGA text console: 80x25 cells at physical 0xb8000, light grey on black. */
#include "arch/cpu.h"
#include "drivers/console.h"
#include "lib/string.h"
#include "mm/layout.h"

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x0700
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5

static u16 *vga_buf;
static unsigned int vga_row, vga_col;

static void vga_move_cursor(void)
{
	u16 pos = (u16)(vga_row * VGA_COLS + vga_col);

	outb(CRTC_INDEX, 0x0f);
	outb(CRTC_DATA, pos & 0xff);
	outb(CRTC_INDEX, 0x0e);
	outb(CRTC_DATA, pos >> 8);
}

void vga_early_init(void)
{
	vga_buf = phys_to_virt(0xb8000);
	for (unsigned int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_buf[i] = VGA_ATTR | ' ';
	vga_row = vga_col = 0;
	vga_move_cursor();
}

static void vga_scroll(void)
{
	memmove(vga_buf, vga_buf + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
	for (unsigned int i = 0; i < VGA_COLS; i++)
		vga_buf[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
	vga_row = VGA_ROWS - 1;
}

static void vga_putc(char c)
{
	switch (c) {
	case '\n':
		vga_col = 0;
		vga_row++;
		break;
	case '\r':
		vga_col = 0;
		break;
	case '\b':
		if (vga_col)
			vga_col--;
		break;
	case '\t':
		vga_col = (vga_col + 8) & ~7u;
		break;
	default:
		vga_buf[vga_row * VGA_COLS + vga_col] = VGA_ATTR | (u8)c;
		vga_col++;
	}
	if (vga_col >= VGA_COLS) {
		vga_col = 0;
		vga_row++;
	}
	if (vga_row >= VGA_ROWS)
		vga_scroll();
}

void vga_write(const char *s, size_t n)
{
	if (!vga_buf)
		return;
	for (size_t i = 0; i < n; i++)
		vga_putc(s[i]);
	vga_move_cursor();
}
