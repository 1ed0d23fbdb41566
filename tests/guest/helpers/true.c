/* The smallest useful program: exits 0 (stress/forkexec runs it 10,000 times). */
int main(void)
{
	return 0;
}
