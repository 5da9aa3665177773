package scenario

// City is a city the bank has a branch in.
type City struct {
	Code string // the branch's unit code: BJ
	Name string // 北京
}

// cities are the branches of the bank, the two of the demo bank first.
var cities = []City{
	{"BJ", "北京"}, {"SH", "上海"}, {"GZ", "广州"}, {"SZ", "深圳"}, {"TJ", "天津"}, {"CQ", "重庆"}, {"CD", "成都"},
	{"WH", "武汉"}, {"HZ", "杭州"}, {"NJ", "南京"}, {"XA", "西安"}, {"CS", "长沙"}, {"ZZ", "郑州"}, {"JN", "济南"},
	{"QD", "青岛"}, {"SY", "沈阳"}, {"DL", "大连"}, {"HEB", "哈尔滨"}, {"CC", "长春"}, {"SJZ", "石家庄"},
	{"TY", "太原"}, {"HHHT", "呼和浩特"}, {"HF", "合肥"}, {"FZ", "福州"}, {"XM", "厦门"}, {"NC", "南昌"},
	{"NN", "南宁"}, {"HK", "海口"}, {"KM", "昆明"}, {"GY", "贵阳"}, {"LS", "拉萨"}, {"LZ", "兰州"}, {"XN", "西宁"},
	{"YC", "银川"}, {"WLMQ", "乌鲁木齐"}, {"NB", "宁波"}, {"SUZ", "苏州"}, {"WX", "无锡"}, {"DG", "东莞"}, {"FS", "佛山"},
}

// Cities returns the cities the bank may have branches in, Beijing and
// Shanghai first.
func Cities() []City { return append([]City(nil), cities...) }

// Districts and streets name the sub-branches of a city and its outlets.
var (
	districts = []string{"城东", "城西", "城南", "城北", "高新区", "经开区", "滨江", "新区", "开发区", "老城"}
	streets   = []string{"人民路", "解放路", "中山路", "建设路", "新华路", "和平路", "胜利路", "文化路", "朝阳路", "长江路",
		"黄河路", "光明路", "幸福路", "团结路", "青年路", "公园路", "东风路", "红旗路", "南京路", "北京路", "上海路",
		"延安路", "天山路", "花园路", "工业路", "体育路", "学府路", "站前路"}
)

// Districts returns the names of the districts of a city, for its
// sub-branches.
func Districts() []string { return append([]string(nil), districts...) }

// Streets returns the names of streets, for outlets.
func Streets() []string { return append([]string(nil), streets...) }

// areaCodes are the six-digit administrative codes that start resident ID
// numbers and companies' credit codes: local districts of the branches that
// have them, and some from elsewhere.
var areaCodes = map[string][]string{
	"BJ":    {"110101", "110102", "110105", "110106", "110108", "110114"},
	"SH":    {"310101", "310104", "310105", "310107", "310112", "310115"},
	"other": {"120101", "130102", "230103", "320102", "330106", "340104", "370102", "410105", "420106", "430104", "510107", "610113"},
}

// Region is where the complainants of a case come from, as the names of
// their companies and the numbers they give show it.
type Region struct {
	Places        []string   // the cities a company is named after
	IDAreas       [][]string // area codes of resident IDs: a list is drawn, then a code of it
	FirmAreas     []string   // area codes of companies' credit codes
	AccountPrefix string     // the first digits of a company's account number
}

// Local is the region of the customers of the branch in city (BJ or SH):
// companies of that city, and resident IDs of its districts, a quarter of
// them from elsewhere. A city without districts of its own here takes them
// from elsewhere.
func Local(city string) Region {
	name := city
	for _, c := range cities {
		if c.Code == city {
			name = c.Name
		}
	}
	areas, ok := areaCodes[city]
	if !ok {
		areas = areaCodes["other"]
	}
	return Region{Places: []string{name}, IDAreas: [][]string{areas, areas, areas, areaCodes["other"]},
		FirmAreas: areas, AccountPrefix: areas[0][:2]}
}

// Nationwide is the region of a bank across the country: companies named
// after any of its cities, resident IDs from Beijing, Shanghai and
// elsewhere alike.
func Nationwide() Region {
	places := make([]string, len(cities))
	for i, c := range cities {
		places[i] = c.Name
	}
	return Region{Places: places, IDAreas: [][]string{areaCodes["BJ"], areaCodes["SH"], areaCodes["other"]},
		FirmAreas: areaCodes["other"], AccountPrefix: "11"}
}
