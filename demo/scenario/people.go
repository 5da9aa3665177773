package scenario

import (
	"fmt"

	"redress"
)

// Names of people and companies.
var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
		"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖",
		"田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
		"卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟",
		"熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "欧阳"}
	givenNames = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
		"娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "玉兰", "志强", "海燕", "文",
		"斌", "婷", "宇", "浩", "凯", "欣怡", "子涵", "梓轩", "雨桐", "一鸣", "思远", "佳怡", "晨", "鹏", "倩",
		"丹", "雪梅", "国庆", "淑珍", "德华", "俊杰", "晓东", "红梅", "春生", "丽华", "振华", "慧敏", "文博"}
	firmWords  = []string{"华信达", "恒远", "博通", "嘉禾", "鑫源", "瑞丰", "中科创", "启明", "宏图", "安泰", "金桥", "永盛"}
	firmTrades = []string{"商贸", "科技", "餐饮管理", "物流", "建筑工程", "文化传媒", "医疗器械", "电子"}
)

// mobilePrefixes are the first three digits of mainland mobile numbers.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
	"152", "155", "156", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189", "198", "199"}

// PersonName draws a person's name: 王芳, 欧阳志强.
func (r *Rand) PersonName() string { return Pick(r, surnames) + Pick(r, givenNames) }

// mobile draws a mainland mobile number.
func (r *Rand) mobile() string {
	return Pick(r, mobilePrefixes) + fmt.Sprintf("%08d", r.IntN(1e8))
}

// Complainant draws a person from home, or about one time in twenty a
// company with its legal representative. A person gives an ID number most
// of the time (now and then a Hong Kong and Macao permit rather than a
// resident ID) and, when account is set, often a bank card number; a
// company gives its credit code and often its account number.
func (r *Rand) Complainant(home Region, account bool) redress.Complainant {
	if r.Chance(0.05) {
		c := redress.Complainant{Name: r.PersonName(), Phone: r.mobile(),
			OrgName:    Pick(r, home.Places) + Pick(r, firmWords) + Pick(r, firmTrades) + "有限公司",
			CreditCode: r.CreditCode(home.FirmAreas), LegalRep: r.PersonName()}
		if r.Chance(0.6) {
			c.Account = fmt.Sprintf("%s%016d", home.AccountPrefix, r.Int64N(1e16))
		}
		return c
	}
	c := redress.Complainant{Name: r.PersonName(), Phone: r.mobile()}
	if r.Chance(0.85) {
		if r.Chance(0.03) {
			c.IDType, c.IDNumber = redress.IDHKMacao, fmt.Sprintf("H%08d", r.IntN(1e8))
		} else {
			c.IDType, c.IDNumber = redress.IDResident, r.ResidentID(Pick(r, home.IDAreas))
		}
	}
	if account && r.Chance(0.7) {
		c.Account = r.CardNumber()
	}
	return c
}
