package main

// The texts of the generated cases: the scenario table and word lists of the
// demo bank (demo/text.go), copied as data so that the benchmark's dataset
// does not change when the demo does.

import "redress"

// scenario is one kind of matter customers bring, with the texts of its
// handling. In the texts {outlet} is the outlet's name, {date} a day shortly
// before receipt, {amount} the amount involved and {staff} the name of the
// staff member complained about.
type scenario struct {
	kind         redress.Kind
	codeB, codeC string
	channels     []redress.Channel // the channels it usually arrives by
	subject      string
	description  string
	request      string
	amount       [2]int // yuan range of the amount involved; zero for none
	refund       bool   // the amount is paid back when the bank is at fault
	aboutStaff   bool   // the complaint names a member of staff
	account      bool   // the complainant gives an account or card number
	onSpot       bool   // may be resolved on the spot
	liabilities  []redress.Liability
	outcome      redress.Outcome // fixed outcome; "" derives it from the liability
	finding      string
	party        string // responsible party when the bank is at fault
	rootCause    string
	basis        string
	redress      string // what the bank does when the customer is right
}

// Shorthands for the scenario table.
const (
	fault   = redress.LiabilityBankFault
	partial = redress.LiabilityPartial
	noFault = redress.LiabilityNoFault
)

// Channel shorthands for the scenario table.
const (
	chCounter  = redress.ChannelCounter
	chVisit    = redress.ChannelVisit
	chBook     = redress.ChannelOpinionBook
	chLetter   = redress.ChannelLetter
	chPhone    = redress.ChannelPhone
	chHotline  = redress.ChannelHotline
	chOnline   = redress.ChannelOnlineBanking
	chApp      = redress.ChannelMobileApp
	chSelf     = redress.ChannelSelfService
	chEmail    = redress.ChannelEmail
	chWeChat   = redress.ChannelWeChat
	chRegulate = redress.ChannelRegulator
	chPost     = redress.ChannelOnlinePost
)

// scenarios are the matters of the demo cases, typical of Chinese banks.
var scenarios = []scenario{
	{kind: redress.KindComplaint, codeB: "B06", codeC: "C08",
		channels: []redress.Channel{chCounter, chPhone, chApp, chHotline},
		subject:  "理财产品实际收益与宣传不符",
		description: "客户{date}在{outlet}经理财经理推荐购买一款净值型理财产品，理财经理称“年化收益4.5%左右、基本不会亏”。" +
			"产品到期后实际年化收益仅1.8%，较宣传少收益{amount}元。客户认为销售时夸大收益、未充分揭示风险。",
		request: "要求按宣传收益补足差额{amount}元，并对理财经理的销售行为作出说明。",
		amount:  [2]int{800, 15000}, refund: true, liabilities: []redress.Liability{partial, partial, fault, noFault},
		finding: "调阅销售过程录音录像（双录），理财经理介绍产品时使用了“基本不会亏”等不当表述；" +
			"客户风险评估等级与产品风险等级（R2）匹配，客户已签署风险揭示书。",
		party:     "{outlet}理财经理",
		rootCause: "营销方式：理财经理销售话术不规范，存在夸大收益的倾向；网点对销售行为的事中监督不足。",
		basis:     "《商业银行理财业务监督管理办法》《理财公司理财产品销售管理暂行办法》及我行《个人理财产品销售管理办法》；产品说明书载明业绩比较基准不代表实际收益。",
		redress:   "就销售人员不当表述向客户致歉，并给予收益差额补偿。"},
	{kind: redress.KindComplaint, codeB: "B03", codeC: "C07",
		channels: []redress.Channel{chPhone, chHotline, chApp, chWeChat, chCounter},
		subject:  "信用卡年费扣收争议",
		description: "客户称办理信用卡时营销人员承诺“首年免年费，刷满6次免次年年费”，{date}收到账单被扣收年费{amount}元。" +
			"客户认为办卡时未被告知年费收取规则。",
		request: "要求退还已扣收的年费{amount}元。",
		amount:  [2]int{200, 1200}, refund: true, account: true, liabilities: []redress.Liability{noFault, partial},
		finding:   "调取办卡申请资料及营销记录，领用合约已载明年费减免条件；系统显示客户上一年度刷卡4次，未达到免年费条件；营销人员口头介绍时未完整说明减免条件。",
		party:     "信用卡中心营销人员",
		rootCause: "信息披露：营销人员对年费减免条件的口头说明不完整。",
		basis:     "《商业银行信用卡业务监督管理办法》及客户签署的《信用卡领用合约》。",
		redress:   "经协商为客户退还本期年费。"},
	{kind: redress.KindComplaint, codeB: "B01", codeC: "C01",
		channels: []redress.Channel{chCounter, chBook, chPhone, chHotline, chWeChat},
		subject:  "柜员服务态度差",
		description: "{date}客户在{outlet}办理存款业务，因询问业务办理进度，柜员语气生硬、不耐烦，并称“看不懂就别问”。" +
			"客户认为受到不尊重的对待。",
		request:    "要求当事柜员道歉，网点加强员工服务培训。",
		aboutStaff: true, onSpot: true, liabilities: []redress.Liability{fault, fault, partial},
		finding:   "调阅当日柜台监控录像及录音，当事柜员在客户询问时确有语气生硬、用语不规范的情况。",
		party:     "{outlet}柜员{staff}",
		rootCause: "员工能力：当事员工服务意识不强，高峰时段情绪管理不到位。",
		basis:     "《银行业营业网点文明规范服务标准》及我行《营业网点服务规范》关于服务用语与服务态度的规定。",
		redress:   "网点负责人与当事柜员当面向客户致歉，并对当事员工进行服务规范再培训。"},
	{kind: redress.KindComplaint, codeB: "B03", codeC: "C02",
		channels: []redress.Channel{chSelf, chSelf, chCounter, chPhone},
		subject:  "ATM吞卡",
		description: "{date}晚客户在{outlet}自助银行ATM取款时，机器提示“交易超时”后吞卡，现金未吐出，" +
			"客户担心资金安全且急需用卡。",
		request: "要求尽快取回银行卡，并核实交易是否成功、资金是否安全。",
		account: true, onSpot: true, liabilities: []redress.Liability{fault, partial},
		finding:   "调取ATM流水日志及监控录像，吞卡系设备通讯故障导致交易超时所致，取款交易已冲正，客户资金未受损失；银行卡已于次日清机时取出并登记。",
		party:     "{outlet}自助设备管理岗",
		rootCause: "服务设施：ATM通讯模块老化，设备巡检不到位。",
		basis:     "我行《自助设备管理办法》关于吞卡处理和设备巡检的规定。",
		redress:   "核验客户身份后当面归还银行卡，就设备故障带来的不便致歉，并更换故障通讯模块。"},
	{kind: redress.KindComplaint, codeB: "B02", codeC: "C09",
		channels: []redress.Channel{chCounter, chPhone, chLetter, chRegulate, chHotline},
		subject:  "提前还款被收取违约金",
		description: "客户于{date}申请提前结清个人住房贷款，被告知需支付提前还款违约金{amount}元。" +
			"客户认为办理贷款时未被告知该条款。",
		request: "要求免除提前还款违约金{amount}元。",
		amount:  [2]int{1500, 30000}, refund: true, account: true, liabilities: []redress.Liability{noFault, noFault, partial},
		finding:   "调阅借款合同，合同明确约定“借款发放未满一年提前还款的，按提前还款本金的1%收取违约金”，客户已在该条款处签字；客户经理面签时未对该条款作重点提示。",
		party:     "{outlet}个人贷款客户经理",
		rootCause: "合同条款：格式条款重点提示不到位，面签流程未要求逐条提示。",
		basis:     "《中华人民共和国民法典》第四百九十六条关于格式条款提示说明义务的规定及双方签订的《个人住房借款合同》。",
		redress:   "经协商减免部分违约金。"},
	{kind: redress.KindComplaint, codeB: "B04", codeC: "C02",
		channels: []redress.Channel{chApp, chApp, chPhone, chHotline, chWeChat},
		subject:  "手机银行跨行转账失败资金未到账",
		description: "客户{date}通过手机银行向他行账户转账{amount}元，页面一直显示“处理中”，收款方未收到款项，" +
			"账户资金已扣减，客户因此耽误支付货款。",
		request: "要求查明资金去向、尽快到账，并赔偿由此造成的损失。",
		amount:  [2]int{1000, 50000}, account: true, liabilities: []redress.Liability{fault, partial},
		finding:   "查询交易流水及系统日志，当日系统升级期间跨行支付报文发送超时，交易于次日被自动退回客户账户，资金未损失。",
		party:     "总行信息科技部",
		rootCause: "业务系统：系统升级期间跨行支付异常处理机制不完善，未及时向客户推送交易状态。",
		basis:     "《电子支付指引（第一号）》及我行《电子银行业务管理办法》关于交易差错处理的规定。",
		redress:   "向客户说明原因并致歉，协助客户重新发起转账，减免当年手机银行跨行转账手续费。"},
	{kind: redress.KindComplaint, codeB: "B05", codeC: "C11",
		channels: []redress.Channel{chPhone, chVisit, chLetter, chRegulate, chEmail},
		subject:  "怀疑个人信息被泄露",
		description: "客户在{outlet}办理业务后，陆续接到多个自称贷款、理财机构的营销电话，对方能说出其姓名和开户网点。" +
			"客户怀疑银行泄露个人信息。",
		request:     "要求银行查明是否泄露个人信息，并给出书面答复。",
		liabilities: []redress.Liability{noFault, noFault, partial},
		finding:     "调取客户信息查询日志，近六个月内仅有客户本人办理业务时的正常查询记录，未发现违规查询、导出客户信息的情况；来电号码经核实不属于我行及合作机构。",
		party:       "{outlet}",
		rootCause:   "消费者信息安全：未发现我行泄露，营销电话来源于外部渠道；网点对客户信息保护的解释工作不足。",
		basis:       "《中华人民共和国个人信息保护法》《中国人民银行金融消费者权益保护实施办法》关于个人金融信息保护的规定。",
		redress:     "提醒客户防范电信网络诈骗，协助客户向通信运营商举报骚扰号码。"},
	{kind: redress.KindComplaint, codeB: "B01", codeC: "C01",
		channels: []redress.Channel{chCounter, chBook, chBook, chWeChat, chPost},
		subject:  "网点排队等候时间过长",
		description: "{date}上午客户到{outlet}办理社保卡激活，取号后等候近一个半小时，现场仅开放两个窗口，" +
			"大堂无人引导分流。",
		request: "要求网点增开窗口、改进排队管理。",
		onSpot:  true, liabilities: []redress.Liability{partial, fault},
		finding:   "调取当日排队叫号系统数据，上午客户平均等候52分钟；当班一名柜员休假、一个窗口办理对公业务，大堂经理未及时引导客户使用自助设备分流。",
		party:     "{outlet}运营主管",
		rootCause: "管理制度：高峰时段弹性排班机制不健全，大堂分流引导不足。",
		basis:     "我行《营业网点服务规范》关于高峰时段弹性窗口和客户等候时间的要求。",
		redress:   "向客户致歉，网点已调整高峰时段排班并增设弹性窗口。"},
	{kind: redress.KindComplaint, codeB: "B12", codeC: "C12",
		channels: []redress.Channel{chPhone, chHotline, chRegulate, chLetter, chPost},
		subject:  "信用卡催收方式不当",
		description: "客户信用卡逾期两期，近期频繁接到催收电话，最多一天超过十次，催收人员还致电客户单位同事，" +
			"言语带有威胁。客户认为严重影响其工作和生活。",
		request:     "要求停止骚扰性催收，不得联系无关第三人，并对催收人员予以处理。",
		account:     true,
		liabilities: []redress.Liability{fault, partial},
		finding:     "调取催收录音及外呼记录，委外催收机构在一日内拨打客户电话11次，并两次联系客户工作单位同事，违反我行催收管理规定。",
		party:       "信用卡中心委外催收机构",
		rootCause:   "债务催收方式：对委外催收机构的过程监督不到位，外呼频次管控失效。",
		basis:       "《商业银行信用卡业务监督管理办法》关于催收行为的规定及我行《信用卡催收管理办法》。",
		redress:     "停止该机构对客户的催收，改由行内人员与客户协商还款安排，并对催收机构予以处罚。"},
	{kind: redress.KindComplaint, codeB: "B01", codeC: "C05",
		channels: []redress.Channel{chCounter, chPhone, chBook, chLetter},
		subject:  "定期存款利率与办理时告知不一致",
		description: "客户{date}在{outlet}办理三年期定期存款，网点公告栏和工作人员告知利率为2.6%，存款回单显示利率为2.35%，" +
			"客户认为少计利息{amount}元。",
		request: "要求按告知利率计息，补足利息差额{amount}元。",
		amount:  [2]int{100, 3000}, refund: true, account: true, liabilities: []redress.Liability{partial, fault},
		finding:   "经核实，我行于客户办理业务前两日下调存款挂牌利率，网点公告栏利率牌未及时更新，工作人员按旧公告告知客户。",
		party:     "{outlet}",
		rootCause: "信息披露：利率调整后网点公告更新不及时，员工未核实系统利率。",
		basis:     "《中华人民共和国商业银行法》第三十一条及《储蓄管理条例》关于利率公告的规定。",
		redress:   "向客户致歉，并按告知利率补足利息差额。"},
	{kind: redress.KindComplaint, codeB: "B07", codeC: "C04",
		channels: []redress.Channel{chCounter, chVisit, chRegulate, chLetter, chPhone},
		subject:  "代销保险产品存在误导销售",
		description: "客户于{date}到{outlet}办理存款，工作人员推荐一款“高收益存款产品”，客户签字后才发现实为分红型保险，" +
			"交费期十年，年交保费{amount}元，现申请退保将损失大部分本金。",
		request: "要求全额退还已交保费{amount}元。",
		amount:  [2]int{10000, 100000}, refund: true, liabilities: []redress.Liability{partial, fault},
		finding:   "调阅销售过程录音录像，销售人员介绍时多次使用“存款”“保本”等表述，未充分说明产品为保险产品及退保损失；投保单为客户本人签字，已过犹豫期。",
		party:     "{outlet}理财经理",
		rootCause: "营销方式：代销保险产品时混淆存款与保险，未履行风险提示义务。",
		basis:     "《商业银行代理保险业务管理办法》及《保险销售行为管理办法》关于如实告知和风险提示的规定。",
		redress:   "协调保险公司为客户办理全额退保，退还已交保费。"},
	{kind: redress.KindComplaint, codeB: "B03", codeC: "C10",
		channels: []redress.Channel{chPhone, chHotline, chCounter, chApp},
		subject:  "借记卡被盗刷",
		description: "客户{date}凌晨收到短信提示，其借记卡在境外发生多笔网络消费共{amount}元，" +
			"客户本人卡片一直在身边，未进行过上述交易。",
		request: "要求银行查明情况并追回被盗刷资金。",
		amount:  [2]int{500, 20000}, refund: true, account: true, liabilities: []redress.Liability{partial, noFault},
		finding:   "查询交易明细，争议交易为境外无卡网络交易，已收集客户报案回执及卡片在身证明，并通过卡组织发起拒付；我行风控规则对该类交易未触发预警。",
		party:     "银行卡中心风险管理部门",
		rootCause: "消费者资金安全：境外无卡交易风控规则覆盖不足。",
		basis:     "中国人民银行关于银行卡安全管理的规定及我行银行卡章程关于争议交易处理的约定。",
		redress:   "拒付成功后退回争议交易款项，为客户更换芯片卡并关闭境外无卡支付功能。"},
	{kind: redress.KindComplaint, codeB: "B01", codeC: "C03",
		channels: []redress.Channel{chCounter, chBook, chPost, chWeChat},
		subject:  "开户被要求提供过多证明材料",
		description: "客户{date}到{outlet}开立个人借记卡，工作人员要求提供工作证明和居住证明，" +
			"客户认为要求不合理，当场与工作人员发生争执。",
		request: "要求说明开户所需材料的依据，简化开户流程。",
		onSpot:  true, liabilities: []redress.Liability{partial, noFault},
		finding:   "经核实，客户同一日内已在多家银行新开账户，柜员依据反电信网络诈骗要求开展尽职调查；但柜员解释不充分，未告知客户可先开立限额账户。",
		party:     "{outlet}柜员",
		rootCause: "管理制度：开户尽职调查要求的解释口径不统一，柜员沟通能力不足。",
		basis:     "《中华人民共和国反电信网络诈骗法》第十六条及《人民币银行结算账户管理办法》。",
		redress:   "向客户解释开户尽职调查的依据，为客户开立限额账户，后续可申请解除限额。"},
	{kind: redress.KindComplaint, codeB: "B02", codeC: "C06",
		channels: []redress.Channel{chVisit, chPhone, chRegulate, chLetter, chCounter},
		subject:  "办理贷款被要求搭售保险",
		description: "客户在{outlet}申请个人经营贷款时，客户经理表示“买一份保险，审批更容易通过”。" +
			"客户被迫于{date}购买保险，保费{amount}元。",
		request: "要求退还搭售的保险保费{amount}元，并对相关人员进行处理。",
		amount:  [2]int{3000, 50000}, refund: true, liabilities: []redress.Liability{fault, partial},
		finding:   "调取贷款审批资料及通话记录，客户经理在贷前沟通中确有将购买保险与贷款审批挂钩的表述，该保险产品与贷款审批无关联。",
		party:     "{outlet}客户经理",
		rootCause: "自主选择权：客户经理为完成中间业务指标违规搭售，考核机制存在导向偏差。",
		basis:     "《银行保险机构消费者权益保护管理办法》关于不得捆绑搭售的规定。",
		redress:   "协调保险公司全额退保，并对当事客户经理进行问责。"},
	{kind: redress.KindComplaint, codeB: "B13", codeC: "C07",
		channels: []redress.Channel{chApp, chPhone, chCounter, chOnline},
		subject:  "未经同意开通短信通知服务并收费",
		description: "客户查询账户明细时发现每月被扣收短信通知服务费2元，累计{amount}元，" +
			"客户称从未申请开通该服务。",
		request: "要求关闭短信通知服务并退还已扣收的费用{amount}元。",
		amount:  [2]int{24, 96}, refund: true, account: true, onSpot: true, liabilities: []redress.Liability{fault, partial},
		finding:   "查询业务开通记录，该服务系开户时默认勾选开通，开户申请书中未单独提示收费标准。",
		party:     "{outlet}",
		rootCause: "定价收费：开户时默认开通收费服务，未履行事先告知义务。",
		basis:     "《商业银行服务价格管理办法》关于收费项目事先告知的规定。",
		redress:   "关闭短信通知收费服务，退还全部已扣收的费用。"},
	{kind: redress.KindComplaint, codeB: "B09", codeC: "C05",
		channels: []redress.Channel{chCounter, chPhone, chBook},
		subject:  "外币现钞取款需预约未提前告知",
		description: "客户{date}到{outlet}支取5000美元现钞用于出国留学，被告知需提前预约；" +
			"客户此前电话咨询时未被告知需预约，白跑一趟。",
		request: "要求网点说明预约规定，并尽快安排取款。",
		onSpot:  true, liabilities: []redress.Liability{partial, noFault},
		finding:   "经核实，按规定大额外币现钞支取需提前一个工作日预约；客户此前来电时接听员工未告知预约要求。",
		party:     "{outlet}",
		rootCause: "信息披露：外币现钞预约规定未在网点及电话咨询中充分告知。",
		basis:     "《个人外汇管理办法实施细则》及我行外币现钞管理规定。",
		redress:   "向客户致歉，调拨现钞于次日上午为客户办理，并在网点公示预约规定。"},
	{kind: redress.KindComplaint, codeB: "B10", codeC: "C03",
		channels: []redress.Channel{chCounter, chBook, chPhone},
		subject:  "残缺污损人民币兑换被拒",
		description: "客户{date}持一张被水浸泡后部分破损的100元纸币到{outlet}要求兑换，柜员以“破损太严重”为由拒绝，" +
			"且未说明兑换标准。",
		request: "要求按规定兑换残损人民币。",
		onSpot:  true, liabilities: []redress.Liability{fault, partial},
		finding:   "经复点，该纸币剩余面积超过原面积的四分之三，图案、文字能按原样连接，应全额兑换；当班柜员对兑换标准掌握不准确。",
		party:     "{outlet}柜员",
		rootCause: "员工能力：柜员对残缺污损人民币兑换标准掌握不准确。",
		basis:     "《中国人民银行残缺污损人民币兑换办法》。",
		redress:   "当场为客户全额兑换，并组织网点柜员学习残损币兑换标准。"},
	{kind: redress.KindComplaint, codeB: "B08", codeC: "C08",
		channels: []redress.Channel{chCounter, chApp, chPhone},
		subject:  "实物黄金回购价格差价过大",
		description: "客户申请回购此前在我行购买的投资金条，回购价格较当日销售价格每克低20余元，合计差价{amount}元，" +
			"客户称购买时未被告知回购规则。",
		request: "要求按购买价格回购，或解释回购定价依据。",
		amount:  [2]int{200, 5000}, liabilities: []redress.Liability{noFault, partial},
		finding:   "回购价格按当日上海黄金交易所基准价扣除回购手续费确定，符合产品规则；产品说明书已载明回购规则，但客户经理销售时未作口头提示。",
		party:     "{outlet}",
		rootCause: "产品收益：回购定价规则较复杂，销售时提示不充分。",
		basis:     "我行《贵金属业务管理办法》及产品说明书中关于回购价格的约定。",
		redress:   "向客户详细说明回购定价依据，提供回购价格查询方式。"},
	{kind: redress.KindComplaint, codeB: "B04", codeC: "C02",
		channels: []redress.Channel{chOnline, chOnline, chEmail, chPhone, chHotline},
		subject:  "网上银行频繁掉线无法完成缴费",
		description: "客户反映近一周使用我行个人网上银行缴纳物业费时，登录后几分钟即提示“会话超时”，" +
			"多次尝试均无法完成缴费，导致缴费逾期。",
		request:     "要求尽快修复网上银行故障，并协助处理逾期缴费产生的滞纳金。",
		liabilities: []redress.Liability{fault, partial},
		finding:     "经信息科技部门排查，网银新版本上线后与部分旧版浏览器存在兼容问题，导致会话异常中断，已于次日发布修复补丁。",
		party:       "总行信息科技部",
		rootCause:   "业务系统：新版本上线前兼容性测试覆盖不足。",
		basis:       "我行《电子银行业务管理办法》及《信息系统变更管理办法》。",
		redress:     "向客户致歉，协助客户通过柜面完成缴费，并与物业公司沟通减免滞纳金。"},
	{kind: redress.KindComplaint, codeB: "B03", codeC: "C05",
		channels: []redress.Channel{chWeChat, chWeChat, chPost, chApp, chHotline},
		subject:  "信用卡分期手续费实际年化利率未明示",
		description: "客户{date}通过微信推送办理信用卡账单分期，宣传页面显示“每期手续费率仅0.6%”，" +
			"客户事后计算实际年化利率超过13%，共支付手续费{amount}元，认为宣传误导。",
		request: "要求退还部分分期手续费，并在宣传页面明示年化利率。",
		amount:  [2]int{300, 6000}, refund: true, account: true, liabilities: []redress.Liability{partial, noFault},
		finding:   "分期业务宣传页面仅展示每期费率，未以显著方式展示年化利率；分期合同中已列明手续费总额。",
		party:     "信用卡中心",
		rootCause: "信息披露：分期业务宣传页面未明示年化利率。",
		basis:     "中国人民银行公告〔2021〕第3号关于贷款产品明示年化利率的要求。",
		redress:   "按协商结果退还部分分期手续费，宣传页面已整改。"},
	{kind: redress.KindInquiry, codeB: "B13", codeC: "C99",
		channels:    []redress.Channel{chCounter, chPhone, chHotline, chApp, chWeChat},
		subject:     "咨询个人养老金账户开立及税收优惠",
		description: "客户咨询个人养老金资金账户的开立条件、年度缴存上限以及税收优惠政策。",
		request:     "希望了解个人养老金账户的办理流程。",
		onSpot:      true, liabilities: []redress.Liability{noFault}, outcome: redress.OutcomeUpheld,
		finding:   "客户所询事项属于政策咨询，不涉及业务差错。",
		rootCause: "政策咨询，无业务差错。",
		basis:     "《个人养老金实施办法》及我行个人养老金业务操作规程。",
		redress:   "已向客户解答开户条件、缴存上限（每年12000元）及税收优惠政策，并协助客户通过手机银行开户。"},
	{kind: redress.KindInquiry, codeB: "B02", codeC: "C99",
		channels:    []redress.Channel{chPhone, chHotline, chCounter, chOnline, chEmail},
		subject:     "咨询存量房贷利率调整安排",
		description: "客户询问其存量个人住房贷款利率何时调整、调整后的利率水平，以及是否需要本人到网点办理。",
		request:     "希望了解房贷利率调整安排。",
		onSpot:      true, liabilities: []redress.Liability{noFault}, outcome: redress.OutcomeUpheld,
		finding:   "客户所询事项属于政策咨询，不涉及业务差错。",
		rootCause: "政策咨询，无业务差错。",
		basis:     "中国人民银行关于存量首套住房贷款利率调整的相关通知。",
		redress:   "已告知客户利率调整由我行批量办理，无需本人申请，并告知调整后利率的查询方式。"},
	{kind: redress.KindSuggestion, codeB: "B99", codeC: "C01",
		channels:    []redress.Channel{chBook, chCounter, chLetter, chEmail},
		subject:     "建议增设老年人服务专窗",
		description: "客户建议{outlet}设置老年人优先服务窗口，配备老花镜、放大镜和轮椅，并在叫号系统中为老年客户提供优先叫号。",
		request:     "希望网点改进适老化服务。",
		onSpot:      true, liabilities: []redress.Liability{noFault}, outcome: redress.OutcomeUpheld,
		finding:   "网点已配备老花镜和轮椅，但未设置老年人优先窗口，客户建议具有可行性。",
		rootCause: "服务改进建议。",
		basis:     "国务院办公厅《关于切实解决老年人运用智能技术困难的实施方案》及我行适老化服务工作要求。",
		redress:   "采纳客户建议，网点已增设“爱心窗口”优先为老年客户办理业务。"},
	{kind: redress.KindSuggestion, codeB: "B04", codeC: "C02",
		channels:    []redress.Channel{chApp, chWeChat, chEmail, chOnline},
		subject:     "建议手机银行推出大字版界面",
		description: "客户建议手机银行推出大字版、简洁版界面，方便老年人查询余额和转账。",
		request:     "希望手机银行改进适老化设计。",
		liabilities: []redress.Liability{noFault}, outcome: redress.OutcomeUpheld,
		finding:   "已将客户建议转交总行手机银行产品团队，该功能已列入下一版本需求。",
		rootCause: "产品改进建议。",
		basis:     "我行《电子银行适老化改造工作方案》。",
		redress:   "建议已被采纳，将在手机银行下一版本上线大字版。"},
	{kind: redress.KindPetition, codeB: "B02", codeC: "C03",
		channels: []redress.Channel{chVisit, chVisit, chLetter, chRegulate},
		subject:  "对征信逾期记录处理结果不服来访",
		description: "信访人称其在{outlet}办理的个人经营贷款已按期归还，但征信报告仍显示一笔逾期记录，" +
			"此前多次反映未获解决，本次来访要求给予明确答复。",
		request: "要求更正征信逾期记录，并书面答复处理结果。",
		account: true, liabilities: []redress.Liability{partial, noFault},
		finding:   "经核查还款流水，客户某期还款因扣款账户余额不足延迟3天入账，征信逾期记录准确；但此前答复未说明逾期原因及异议处理途径。",
		party:     "{outlet}个人贷款部",
		rootCause: "管理制度：征信异议处理答复不完整，未向客户说明依据。",
		basis:     "《征信业管理条例》及《信访工作条例》。",
		redress:   "向信访人出具书面答复，说明逾期记录形成原因及征信异议申请途径。"},
	{kind: redress.KindOther, codeB: "B99", codeC: "C99",
		channels:    []redress.Channel{chCounter, chPhone},
		subject:     "遗失物品查询",
		description: "客户称{date}在{outlet}办理业务时遗失一个黑色钱包，内有身份证和少量现金，希望网点协助查找。",
		request:     "希望网点协助查找遗失物品。",
		onSpot:      true, liabilities: []redress.Liability{noFault}, outcome: redress.OutcomeUpheld,
		finding:   "调阅监控录像，钱包遗落于填单台，已由大堂经理拾得并登记于拾遗物品登记簿。",
		rootCause: "非业务事项，客户遗失物品。",
		basis:     "我行《营业网点拾遗物品管理规定》。",
		redress:   "核验身份后将钱包交还客户，客户签字确认。"},
	{kind: redress.KindOther, codeB: "B99", codeC: "C01",
		channels:    []redress.Channel{chBook, chPhone, chWeChat},
		subject:     "网点门前停车管理不便",
		description: "客户反映{outlet}门前停车位长期被占用，办理业务时无处停车，保安要求挪车时态度生硬。",
		request:     "希望网点协调解决停车问题，规范保安服务用语。",
		liabilities: []redress.Liability{partial},
		finding:     "网点门前车位为公共车位，由物业统一管理；保安劝离时用语欠规范。",
		party:       "{outlet}安保外包人员",
		rootCause:   "服务质量：外包安保人员服务用语培训不足。",
		basis:       "我行《营业网点服务规范》关于外包人员管理的规定。",
		redress:     "向客户致歉，已与物业协调设置临时停车位，并对安保人员进行培训。"},
}

// channelIntro opens a description with how the matter reached the bank.
var channelIntro = map[redress.Channel]string{
	redress.ChannelCounter:       "客户到{outlet}柜台现场反映：",
	redress.ChannelVisit:         "客户到{outlet}来访反映（已查验身份证件并完成安检登记）：",
	redress.ChannelOpinionBook:   "客户在{outlet}客户意见簿留言：",
	redress.ChannelLetter:        "客户来信反映（信件已复印留存备查）：",
	redress.ChannelPhone:         "客户致电{outlet}反映：",
	redress.ChannelHotline:       "总行客服热线转办工单，客户来电反映：",
	redress.ChannelOnlineBanking: "客户通过网上银行在线客服留言反映：",
	redress.ChannelMobileApp:     "客户通过手机银行“意见反馈”反映：",
	redress.ChannelSelfService:   "客户在{outlet}自助银行通过对讲电话反映：",
	redress.ChannelEmail:         "客户发送电子邮件至客服邮箱反映：",
	redress.ChannelWeChat:        "客户通过我行微信公众号留言反映：",
	redress.ChannelRegulator:     "国家金融监督管理总局12378热线转办，客户反映：",
	redress.ChannelOnlinePost:    "舆情监测发现客户在网络平台发帖反映：",
}

// Texts of the lifecycle actions.
var (
	noteTexts = []string{
		"已电话联系客户，复述投诉要点并获客户确认，约定三日内答复。",
		"客户再次来电询问进度，已告知正在调查核实，将按期答复。",
		"已向客户说明处理流程和时限，客户表示理解。",
		"已调取相关业务凭证及监控录像，待进一步核实。",
	}
	moreFindings = []string{
		"与当事员工谈话并形成谈话笔录，员工陈述与监控录像一致。",
		"调取业务凭证、系统日志及监控录像，完成证据固定。",
		"联系客户补充提供相关截图及凭证，客户已提供。",
		"核查同期同类业务办理情况，未发现批量性问题。",
	}
	reviewFindings = []string{
		"上级复核：已审阅支行调查材料，补充调取相关业务资料并听取客户意见。",
		"上级复核：约见客户当面沟通，核实客户诉求及证据材料。",
	}
	accountabilities = []string{
		"对当事员工进行批评教育，扣减当月服务质量考核分。",
		"责令网点限期整改，并在辖内通报。",
		"暂停相关人员营销资格三个月。",
		"组织网点员工开展服务规范专项培训。",
	}
	handOverReasons = []string{
		"超出首问责任人处理权限，移交投诉管理人处理。",
		"客户诉求需调查核实，首问责任人无法当场解决，移交投诉管理人。",
	}
	branchReasons = []string{
		"客户诉求超出支行处理权限，报请网点负责人协调，由分行投诉管理人督办。",
		"客户情绪激动、多次来电，提级由网点负责人督办。",
	}
	headOfficeReasons = []string{
		"经网点负责人确认超出分支机构处理权限，报总行规范服务管理部门处理。",
		"涉及跨部门协调及总行系统问题，经网点负责人确认报总行处理。",
	}
	rejectReasons = []string{
		"经核实，该事项已进入诉讼程序，不属于投诉受理范围，已告知客户。",
		"重复投诉，已并入原投诉件处理，已告知客户。",
		"客户未能提供有效联系方式及基本事实，无法核实，已告知补充材料后可重新提交。",
		"反映事项不属于我行业务范围，已告知客户向相关机构反映。",
	}
	withdrawReasons = []string{
		"客户来电表示问题已自行解决，申请撤回投诉。",
		"经沟通解释，客户表示理解并撤回投诉。",
		"客户与我行协商达成一致，主动撤回。",
	}
	reopenReasons = []string{
		"客户对处理结果不满意，申请核查，重新调查。",
		"客户补充提供新的交易凭证，重新核实。",
	}
	signOffTexts = []string{
		"已审阅处理记录及答复内容，同意。",
		"处理程序完整，答复依据充分，签字确认。",
		"",
	}
	closeTexts = map[redress.Satisfaction]string{
		redress.SatisfactionSatisfied:   "电话回访，客户对处理结果表示满意。",
		redress.SatisfactionBasically:   "电话回访，客户表示基本满意。",
		redress.SatisfactionDissatisfed: "电话回访，客户对处理结果仍不满意，已告知可申请核查。",
		redress.SatisfactionUnreachable: "三次电话回访均未接通，已发送短信告知处理结果。",
	}
)

// Complainant names.
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

// areaCodes are the six-digit administrative codes that start resident ID
// numbers: local districts by branch, and some from elsewhere.
var areaCodes = map[string][]string{
	"BJ":    {"110101", "110102", "110105", "110106", "110108", "110114"},
	"SH":    {"310101", "310104", "310105", "310107", "310112", "310115"},
	"other": {"120101", "130102", "230103", "320102", "330106", "340104", "370102", "410105", "420106", "430104", "510107", "610113"},
}

// mobilePrefixes are the first three digits of mainland mobile numbers.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
	"152", "155", "156", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189", "198", "199"}
