# Text tools: grep, sed, awk, sort, uniq, xargs, head, tail, wc, cut, tr,
# tee, diff, cmp, od, printf.
. "${0%/*}/lib.sh"

cat > data.txt <<'END'
banana 3 yellow
apple 10 red
cherry 7 red
apple 2 green
date 5 brown
END
check_eq grep_basic "$(grep cherry data.txt)" "cherry 7 red"
check_eq grep_count "$(grep -c red data.txt)" 2
check_eq grep_invert "$(grep -v red data.txt | wc -l | tr -d ' ')" 3
check_eq grep_ignore_case "$(echo HeLLo | grep -i hello)" HeLLo
check_eq grep_regex "$(grep -E '^(apple|date) [0-9]+ (red|brown)$' data.txt | tr '\n' ' ')" "apple 10 red date 5 brown "
check_eq grep_line_numbers "$(grep -n cherry data.txt)" "3:cherry 7 red"
check_eq grep_no_match_status "$(grep -q zebra data.txt; echo $?)" 1
check_eq grep_fixed "$(echo 'a.b axb' | tr ' ' '\n' | grep -F a.b)" a.b
mkdir -p gr/sub && echo needle > gr/sub/f && echo hay > gr/g
check_eq grep_recursive "$(grep -r needle gr)" "gr/sub/f:needle"
check_eq grep_l "$(grep -l red data.txt)" data.txt

check_eq sed_subst "$(echo hello world | sed 's/world/there/')" "hello there"
check_eq sed_global "$(echo aaa | sed 's/a/b/g')" bbb
check_eq sed_delete "$(sed '/red/d' data.txt | wc -l | tr -d ' ')" 3
check_eq sed_print_n "$(sed -n '2p' data.txt)" "apple 10 red"
check_eq sed_groups "$(echo 'key=value' | sed -E 's/([a-z]+)=([a-z]+)/\2=\1/')" value=key
cp data.txt inplace.txt
sed -i 's/banana/BANANA/' inplace.txt
check_eq sed_in_place "$(head -n 1 inplace.txt)" "BANANA 3 yellow"
check_eq sed_range "$(seq 1 10 | sed -n '3,5p' | tr '\n' ' ')" "3 4 5 "
check_eq sed_append "$(echo a | sed 'a\
b' | tr '\n' ' ')" "a b "

check_eq awk_field "$(awk '{print $2}' data.txt | tr '\n' ' ')" "3 10 7 2 5 "
check_eq awk_sum "$(awk '{s += $2} END {print s}' data.txt)" 27
check_eq awk_filter "$(awk '$2 > 5 {print $1}' data.txt | tr '\n' ' ')" "apple cherry "
check_eq awk_fs "$(echo 'a:b:c' | awk -F: '{print $NF, NF}')" "c 3"
check_eq awk_assoc "$(awk '{n[$3]++} END {print n["red"]}' data.txt)" 2
check_eq awk_printf "$(awk 'BEGIN {printf "%05.1f|%-3s|%x\n", 3.14159, "ab", 255}')" "003.1|ab |ff"
check_eq awk_var "$(awk -v x=4 'BEGIN {print x * x}')" 16
check_eq awk_functions "$(echo 'Hello World' | awk '{print toupper(substr($1, 2, 3)), length($2), index($0, "W")}')" "ELL 5 7"

check_eq sort_default "$(sort data.txt | head -n 1)" "apple 10 red"
check_eq sort_numeric "$(sort -k2 -n data.txt | awk '{print $2}' | tr '\n' ' ')" "2 3 5 7 10 "
check_eq sort_reverse "$(printf 'a\nc\nb\n' | sort -r | tr -d '\n')" cba
check_eq sort_unique "$(printf 'b\na\nb\na\n' | sort -u | tr -d '\n')" ab
check_eq sort_field_sep "$(printf 'x:2\ny:1\n' | sort -t: -k2 | head -n 1)" y:1
check_eq uniq_adjacent "$(printf 'a\na\nb\na\n' | uniq | tr -d '\n')" aba
check_eq uniq_count "$(awk '{print $1}' data.txt | sort | uniq -c | awk '$1 == 2 {print $2}')" apple
check_eq uniq_d "$(printf 'a\na\nb\n' | uniq -d)" a

check_eq xargs_basic "$(printf '1\n2\n3\n' | xargs echo)" "1 2 3"
check_eq xargs_n "$(printf '1 2 3 4\n' | xargs -n 2 echo | wc -l | tr -d ' ')" 2
touch xa xb xc
check_eq xargs_rm "$(ls x? | xargs rm; ls x? 2>/dev/null | wc -l | tr -d ' ')" 0
check_eq xargs_i "$(echo name | xargs -I{} echo 'hello {}!')" "hello name!"
check_eq xargs_0 "$(printf 'a b\0c\0' | xargs -0 -n 1 echo | wc -l | tr -d ' ')" 2

seq 1 100 > nums
check_eq head_n "$(head -n 3 nums | tr '\n' ' ')" "1 2 3 "
check_eq head_c "$(head -c 4 nums | tr '\n' ' ')" "1 2 "
check_eq tail_n "$(tail -n 2 nums | tr '\n' ' ')" "99 100 "
check_eq tail_plus "$(tail -n +99 nums | tr '\n' ' ')" "99 100 "
check_eq wc_l "$(wc -l < nums | tr -d ' ')" 100
check_eq wc_w "$(echo 'one two  three' | wc -w | tr -d ' ')" 3
check_eq wc_c "$(printf 'abcde' | wc -c | tr -d ' ')" 5
check_eq wc_all "$(printf 'a b\nc\n' | wc | awk '{print $1, $2, $3}')" "2 3 6"
(sleep 0.5; echo late >> growing) &
: > growing
check_eq tail_f "$(timeout 3 tail -f growing | head -n 1)" late
wait
check_eq cut_fields "$(echo 'a,b,c' | cut -d, -f2,3)" b,c
check_eq cut_chars "$(echo abcdef | cut -c2-4)" bcd
check_eq tr_delete "$(echo 'a1b2c3' | tr -d 0-9)" abc
check_eq tr_squeeze "$(echo 'aaabbb' | tr -s ab)" ab
check_eq tee_both "$(echo teed | tee tee.txt)$(cat tee.txt)" teedteed
printf 'a\nb\nc\n' > d1
printf 'a\nB\nc\n' > d2
check diff_differs '! diff d1 d2 > diff.out'
check diff_output 'grep -q "^-b" diff.out && grep -q "^+B" diff.out'
check diff_same 'diff d1 d1'
check cmp_differs '! cmp -s d1 d2'
check_eq od_hex "$(printf 'AB' | od -An -tx1 | tr -d ' ')" 4142
check_eq printf_formats "$(printf '%s-%d-%04x-%5.2f' str 42 255 3.14159)" "str-42-00ff- 3.14"
check_eq rev "$(echo abc | rev)" cba
check_eq seq_step "$(seq 0 5 20 | tr '\n' ' ')" "0 5 10 15 20 "
check_eq expr "$(expr 7 \* 6)" 42
check_eq basename_dirname "$(basename /a/b/c.txt .txt) $(dirname /a/b/c.txt)" "c /a/b"
done_tests
