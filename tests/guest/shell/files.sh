# File commands as a user uses them: ls -la, cat, cp -a, mv, rm -r, ln -s,
# mkdir -p, touch, chmod, chown, stat, find, tar (create, extract, compare),
# md5sum, dd, du, readlink, mkfifo, mktemp, sync.
. "${0%/*}/lib.sh"

mkdir -p tree/a/b/c tree/d
echo alpha > tree/a/one.txt
echo beta > tree/a/b/two.txt
printf 'gamma\ndelta\n' > tree/a/b/c/three.txt
dd if=/dev/urandom of=tree/d/random.bin bs=1024 count=64 2>/dev/null
ln -s ../a/one.txt tree/d/link
chmod 600 tree/a/one.txt
check mkdir_p '[ -d tree/a/b/c ]'
check_eq cat "$(cat tree/a/one.txt tree/a/b/two.txt | tr '\n' ' ')" "alpha beta "
check_eq ls_names "$(ls tree/a | tr '\n' ' ')" "b one.txt "
l=$(ls -la tree/a)
check ls_la_total 'echo "$l" | grep -q "^total"'
check ls_la_dots 'echo "$l" | grep -q " \.$" && echo "$l" | grep -q " \.\.$"'
check ls_la_mode 'echo "$l" | grep -q "^-rw------- .* one.txt$"'
check ls_la_dir 'echo "$l" | grep -q "^d.* b$"'
check ls_l_symlink 'ls -l tree/d/link | grep -q "link -> ../a/one.txt"'
check_eq ls_size "$(ls -l tree/d/random.bin | awk '{print $5}')" 65536
check_eq dd_size "$(wc -c < tree/d/random.bin | tr -d ' ')" 65536
check_eq readlink "$(readlink tree/d/link)" ../a/one.txt
check_eq cat_through_symlink "$(cat tree/d/link)" alpha
check_eq stat_mode "$(stat -c %a tree/a/one.txt)" 600
chown 1000:1000 tree/a/b/two.txt
check_eq chown_stat "$(stat -c %u:%g tree/a/b/two.txt)" 1000:1000
check_eq ls_n_owner "$(ls -n tree/a/b/two.txt | awk '{print $3":"$4}')" 1000:1000
check_eq ls_l_owner_names "$(ls -l tree/a/b/two.txt | awk '{print $3":"$4}')" user:user
touch -d '2020-01-02 03:04:05' tree/a/b/two.txt
check_eq touch_date "$(date -r tree/a/b/two.txt '+%Y-%m-%d %H:%M:%S')" "2020-01-02 03:04:05"

cp -a tree copy
check cp_a_tree 'diff -r tree copy'
check_eq cp_a_mode "$(stat -c %a copy/a/one.txt)" 600
check_eq cp_a_owner "$(stat -c %u copy/a/b/two.txt)" 1000
check_eq cp_a_mtime "$(stat -c %Y copy/a/b/two.txt)" "$(stat -c %Y tree/a/b/two.txt)"
check cp_a_symlink '[ -L copy/d/link ]'
cp tree/a/one.txt single.txt
check cp_file 'cmp tree/a/one.txt single.txt'
mv single.txt moved.txt
check mv_file '[ ! -e single.txt ] && [ -f moved.txt ]'
mv copy/a copy/a2
check mv_dir '[ -d copy/a2/b/c ] && [ ! -e copy/a ]'
mkdir other
mv moved.txt other/
check mv_into_dir '[ -f other/moved.txt ]'
rm -r copy
check rm_r '[ ! -e copy ]'
rm other/moved.txt
check rm_file '[ ! -e other/moved.txt ]'
check rmdir 'rmdir other'
ln -s tree/a/b target_link
check ln_s_dir '[ -f target_link/two.txt ]'
ln tree/a/b/two.txt hard
check_eq ln_hard_links "$(stat -c %h hard)" 2
check rm_f_missing 'rm -f does_not_exist'
check rm_missing_fails '! rm does_not_exist 2>/dev/null'

check_eq find_name "$(find tree -name '*.txt' | sort | tr '\n' ' ')" "tree/a/b/c/three.txt tree/a/b/two.txt tree/a/one.txt "
check_eq find_type_d "$(find tree -type d | wc -l | tr -d ' ')" 5
check_eq find_type_l "$(find tree -type l)" tree/d/link
check_eq find_size "$(find tree -size +10k)" tree/d/random.bin
check_eq find_exec "$(find tree -name two.txt -exec cat {} \;)" beta
check_eq find_maxdepth "$(find tree -maxdepth 1 | sort | tr '\n' ' ')" "tree tree/a tree/d "

# tar a tree, extract it elsewhere, compare.
check tar_create 'tar -cf tree.tar tree'
check tar_list 'tar -tf tree.tar | grep -q "tree/a/b/c/three.txt"'
mkdir x && (cd x && tar -xf ../tree.tar)
check tar_extract_same 'diff -r tree x/tree'
check_eq tar_keeps_mode "$(stat -c %a x/tree/a/one.txt)" 600
check tar_keeps_symlink '[ -L x/tree/d/link ]'
check tar_gzip 'tar -czf tree.tgz tree && mkdir y && tar -xzf tree.tgz -C y && diff -r tree y/tree'
check_eq tar_pipe "$(tar -cf - tree | tar -tf - | wc -l | tr -d ' ')" "$(tar -tf tree.tar | wc -l | tr -d ' ')"

sum1=$(md5sum < tree/d/random.bin | cut -d' ' -f1)
sum2=$(cat tree/d/random.bin | md5sum | cut -d' ' -f1)
check_eq md5sum_stdin_vs_pipe "$sum1" "$sum2"
check_eq md5sum_known "$(printf abc | md5sum | cut -d' ' -f1)" 900150983cd24fb0d6963f7d28e17f72
check_eq sha256sum_known "$(printf abc | sha256sum | cut -d' ' -f1)" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
md5sum tree/a/b/two.txt tree/a/b/c/three.txt > sums
check md5sum_check 'md5sum -c sums'
check_eq dd_skip_count "$(printf 0123456789 | dd bs=1 skip=3 count=4 2>/dev/null)" 3456
dd if=/dev/zero of=zeros bs=4096 count=256 2>/dev/null
check_eq dd_zero_size "$(wc -c < zeros | tr -d ' ')" 1048576
check_eq dd_zero_content "$(od -An -tx1 zeros | tr -d ' 0*\n' | wc -c | tr -d ' ')" 0
dd if=tree/d/random.bin of=part bs=1024 skip=16 count=16 2>/dev/null
check_eq dd_part "$(md5sum < part)" "$(tail -c +16385 tree/d/random.bin | head -c 16384 | md5sum)"
check_eq dd_seek_conv "$(printf abc > s; printf X | dd of=s bs=1 seek=1 conv=notrunc 2>/dev/null; cat s)" aXc
check du_works '[ "$(du -s tree | cut -f1)" -gt 0 ]'
mkfifo fifo
(echo through > fifo) &
check_eq fifo_cat "$(cat fifo)" through
wait
t=$(mktemp)
check mktemp '[ -f "$t" ]'
rm -f "$t"
check sync 'sync'
check_eq chmod_symbolic "$(touch m; chmod u=rwx,g=rx,o= m; stat -c %a m)" 750
check_eq chmod_plus "$(chmod a+r m; stat -c %a m)" 754
done_tests
